#include "store/resource_table.h"

namespace grove::store {

namespace {

#define GROVE_RESOURCE_COLUMNS "SELECT kind, name, body, created_at, updated_at FROM resources "
constexpr const char* kSelectOne = GROVE_RESOURCE_COLUMNS "WHERE kind = ? AND name = ?";
// Names from the prefix on, in byte order; List stops at the first name past
// the prefix, so the primary key index answers it without a scan. (An upper
// bound computed from the prefix would not always be valid UTF-8.)
constexpr const char* kSelectRange =
    GROVE_RESOURCE_COLUMNS "WHERE kind = ? AND name > ? AND name >= ? ORDER BY name LIMIT ?";
#undef GROVE_RESOURCE_COLUMNS

ResourceRecord ResourceFromRow(const Statement& row) {
  return ResourceRecord{row.Text(0), row.Text(1), row.JsonValue(2), row.Int64(3), row.Int64(4)};
}

}  // namespace

Result<std::optional<ResourceRecord>> ResourceTable::Find(const std::string& kind, const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectOne));
  select.BindAll(kind, name);
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> rows, CollectRows(select, ResourceFromRow));
  if (rows.empty()) return std::optional<ResourceRecord>();
  return std::optional<ResourceRecord>(std::move(rows.front()));
}

Result<std::vector<ResourceRecord>> ResourceTable::List(const std::string& kind, const std::string& prefix,
                                                        const std::string& after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectRange));
  select.BindAll(kind, after, prefix, SqlLimit(limit));
  std::vector<ResourceRecord> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return rows;
    ResourceRecord r = ResourceFromRow(select);
    if (r.name.compare(0, prefix.size(), prefix) != 0) return rows;
    rows.push_back(std::move(r));
  }
}

Status ResourceTable::Put(const ResourceRecord& r) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO resources (kind, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                                "ON CONFLICT (kind, name) DO UPDATE SET body = excluded.body, "
                                "created_at = excluded.created_at, updated_at = excluded.updated_at"));
  return upsert.BindAll(r.kind, r.name, r.body, r.created_at, r.updated_at).Run();
}

Result<bool> ResourceTable::Delete(const std::string& kind, const std::string& name) {
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM resources WHERE kind = ? AND name = ?"));
  RETURN_IF_ERROR(del.BindAll(kind, name).Run());
  return del.Changes() > 0;
}

}  // namespace grove::store
