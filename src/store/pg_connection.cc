#include "store/pg_connection.h"

#include <libpq-fe.h>

#include "store/pg_cursor.h"
#include "store/pg_dialect.h"

namespace grove::store {

struct PgConnection::CachedCursor {
  std::unique_ptr<PgCursor> cursor;
  bool in_use = false;
};

Status PgConnectError(PGconn* conn, const std::string& name) {
  std::string detail = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  return Status::IOError("cannot connect to metadata store " + name + ": " + detail);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url, const std::string& name) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Status error = PgConnectError(conn, name);
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<PgConnection> opened(new PgConnection(conn, name));
  // Messages below WARNING (e.g. "relation already exists, skipping") are not for Grove's users.
  RETURN_IF_ERROR(opened->Run("SET client_min_messages = warning"));
  return opened;
}

PgConnection::PgConnection(PGconn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

bool PgConnection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

Status PgConnection::Run(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  Status s = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                 ? Status::OK()
                 : PgResultError(conn_, result, std::string("cannot run '") + sql + "' on " + name_);
  PQclear(result);
  return s;
}

Status PgConnection::Exec(const char* sql) { return Run(PgSchema(sql).c_str()); }

Result<Statement> PgConnection::Prepare(const char* sql) {
  std::unique_ptr<CachedCursor>& cached = cache_[sql];
  if (cached == nullptr) {
    std::string name = "grove_" + std::to_string(cache_.size());
    std::string translated = PgQuery(sql);
    PGresult* result = PQprepare(conn_, name.c_str(), translated.c_str(), 0, nullptr);
    bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
    Status error = ok ? Status::OK() : PgResultError(conn_, result, std::string("cannot prepare '") + sql + "'");
    PQclear(result);
    if (!ok) {
      cache_.erase(sql);
      return error;
    }
    cached = std::make_unique<CachedCursor>();
    cached->cursor = std::make_unique<PgCursor>(conn_, std::move(name), std::move(translated));
  }
  if (cached->in_use) return Statement(new PgCursor(conn_, "", PgQuery(sql)), /*owned=*/true, nullptr);
  cached->in_use = true;
  return Statement(cached->cursor.get(), /*owned=*/false, &cached->in_use);
}

Status PgConnection::SyncIdSequences() {
  ASSIGN_OR_RETURN(Statement columns,
                   Prepare("SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%' "
                           "AND column_name != 'rowid'"));
  std::vector<std::pair<std::string, std::string>> serial;
  while (true) {
    ASSIGN_OR_RETURN(bool row, columns.Step());
    if (!row) break;
    serial.emplace_back(columns.Text(0), columns.Text(1));
  }
  for (const auto& [table, column] : serial) {
    std::string sql = "SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), COALESCE(MAX(" +
                      column + "), 1), MAX(" + column + ") IS NOT NULL) FROM " + table;
    RETURN_IF_ERROR(Run(sql.c_str()));
  }
  return Status::OK();
}

}  // namespace grove::store
