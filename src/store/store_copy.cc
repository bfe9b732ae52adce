#include "store/store_copy.h"

#include "store/sql_connection.h"

namespace grove::store {

namespace {

// Tables SQLite made without an implicit rowid: any order will do.
bool WithoutRowid(const std::string& table) { return table == "resources" || table == "queue_files"; }

Result<int64_t> CountRows(SqlConnection& db, const std::string& table) {
  std::string sql = "SELECT COUNT(*) FROM " + table;
  ASSIGN_OR_RETURN(Statement count, db.Prepare(sql.c_str()));
  ASSIGN_OR_RETURN(bool row, count.Step());
  return row ? count.Int64(0) : 0;
}

// Copies one table's rows, in insertion order, naming the columns `from` has
// (but PostgreSQL's explicit rowid, which the target assigns in that order).
Result<int64_t> CopyTable(SqlConnection& from, SqlConnection& to, const std::string& table,
                          const std::function<std::string(const std::string&, const std::string&)>& artifact_uri) {
  std::string select_sql = "SELECT * FROM " + table + (WithoutRowid(table) ? "" : " ORDER BY rowid");
  ASSIGN_OR_RETURN(Statement select, from.Prepare(select_sql.c_str()));
  std::vector<int> columns;
  std::string insert_sql;
  int uri_column = -1;
  int digest_column = -1;
  int64_t copied = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return copied;
    if (insert_sql.empty()) {
      std::string names;
      std::string marks;
      for (int c = 0; c < select.ColumnCount(); ++c) {
        std::string name = select.ColumnName(c);
        if (name == "rowid") continue;
        if (table == "artifacts" && name == "uri") uri_column = c;
        if (table == "artifacts" && name == "digest") digest_column = c;
        columns.push_back(c);
        names += (names.empty() ? "" : ", ") + name;
        marks += marks.empty() ? "?" : ", ?";
      }
      insert_sql = "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")";
    }
    // From the connection's cache; back to it at the end of the row.
    ASSIGN_OR_RETURN(Statement insert, to.Prepare(insert_sql.c_str()));
    int index = 0;
    for (int c : columns) {
      ++index;
      if (c == uri_column && digest_column >= 0) {
        insert.Bind(index, artifact_uri(select.Text(digest_column), select.Text(c)));
      } else if (select.IsNull(c)) {
        insert.BindNull(index);
      } else if (select.IsReal(c)) {
        insert.Bind(index, select.Double(c));
      } else {
        // Integers travel as text too: both backends convert to the column's type.
        insert.Bind(index, select.Text(c));
      }
    }
    RETURN_IF_ERROR(insert.Run());
    ++copied;
  }
}

}  // namespace

const std::vector<std::string>& SchemaTables() {
  static const std::vector<std::string> kTables = {
      "pipelines",      "definitions",          "executions",          "step_runs",   "artifacts",
      "artifact_links", "trials",               "model_groups",        "model_versions", "events",
      "endpoints",      "endpoint_deployments", "endpoint_promotions", "resources",   "queue_files",
      "queue_messages", "queue_lines",          "predictions",         "trigger_firings",
  };
  return kTables;
}

Result<StoreCopyStats> CopyMetadataStore(MetadataStore& from, MetadataStore& to,
                                         const std::function<std::string(const std::string& digest, const std::string& uri)>& artifact_uri) {
  StoreCopyStats stats;
  Status copied = from.ReadSql([&](SqlConnection& source) {
    return to.WriteSql([&](SqlConnection& target) -> Status {
      for (const std::string& table : SchemaTables()) {
        ASSIGN_OR_RETURN(int64_t existing, CountRows(target, table));
        if (existing > 0) {
          return Status::FailedPrecondition("the target metadata store " + target.name() + " is not empty (table " +
                                            table + " has " + std::to_string(existing) +
                                            " rows); copy only into a new store");
        }
      }
      for (const std::string& table : SchemaTables()) {
        Result<int64_t> rows = CopyTable(source, target, table, artifact_uri);
        if (!rows.ok()) return rows.status().WithContext("copying table " + table);
        stats.rows[table] = *rows;
        stats.total_rows += *rows;
      }
      return target.SyncIdSequences();
    });
  });
  if (!copied.ok()) return copied;
  return stats;
}

}  // namespace grove::store
