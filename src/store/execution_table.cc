#include "store/execution_table.h"

namespace grove::store {

namespace {

#define GROVE_EXECUTION_COLUMNS                                                                       \
  "SELECT id, pipeline, version, status, parameters, failure_reason, started_at, ended_at, lease_owner, " \
  "lease_expires, heartbeat_at FROM executions "

ExecutionRecord ExecutionFromRow(const Statement& row) {
  ExecutionRecord e;
  e.id = row.Text(0);
  e.pipeline = row.Text(1);
  e.version = row.Int(2);
  e.status = row.Text(3);
  e.parameters = row.JsonValue(4);
  e.failure_reason = row.Text(5);
  e.started_at = row.Int64(6);
  e.ended_at = row.Int64(7);
  e.lease_owner = row.Text(8);
  e.lease_expires = row.Int64(9);
  e.heartbeat_at = row.Int64(10);
  return e;
}

constexpr const char* kUpsertExecution =
    "INSERT INTO executions (id, pipeline, version, status, parameters, failure_reason, started_at, ended_at, "
    "lease_owner, lease_expires, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET pipeline = excluded.pipeline, version = excluded.version, "
    "status = excluded.status, parameters = excluded.parameters, failure_reason = excluded.failure_reason, "
    "started_at = excluded.started_at, ended_at = excluded.ended_at, lease_owner = excluded.lease_owner, "
    "lease_expires = excluded.lease_expires, heartbeat_at = excluded.heartbeat_at";

}  // namespace

Result<std::optional<ExecutionRecord>> ExecutionTable::Find(const std::string& id) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_EXECUTION_COLUMNS "WHERE id = ?"));
  return FirstRow(select.BindAll(id), ExecutionFromRow);
}

Result<std::vector<ExecutionRecord>> ExecutionTable::List(const std::string& pipeline, int limit) {
  int64_t max_rows = SqlLimit(limit);
  if (pipeline.empty()) {
    ASSIGN_OR_RETURN(Statement select,
                     db_->Prepare(GROVE_EXECUTION_COLUMNS "ORDER BY started_at DESC, rowid DESC LIMIT ?"));
    select.BindAll(max_rows);
    return CollectRows(select, ExecutionFromRow);
  }
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_EXECUTION_COLUMNS
                                                  "WHERE pipeline = ? ORDER BY started_at DESC, rowid DESC LIMIT ?"));
  select.BindAll(pipeline, max_rows);
  return CollectRows(select, ExecutionFromRow);
}

Result<std::vector<ExecutionRecord>> ExecutionTable::ListWithStatus(const std::vector<std::string>& statuses) {
  if (statuses.empty()) return std::vector<ExecutionRecord>{};
  // One statement per number of statuses (callers ask for one or two): IN (?, ?).
  std::string sql = GROVE_EXECUTION_COLUMNS "WHERE status IN (?";
  for (size_t i = 1; i < statuses.size(); ++i) sql += ", ?";
  sql += ") ORDER BY rowid";
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(sql.c_str()));
  for (size_t i = 0; i < statuses.size(); ++i) select.Bind(static_cast<int>(i) + 1, statuses[i]);
  return CollectRows(select, ExecutionFromRow);
}

Status ExecutionTable::Put(const ExecutionRecord& e) {
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsertExecution));
  return upsert
      .BindAll(e.id, e.pipeline, e.version, e.status, e.parameters, e.failure_reason, e.started_at, e.ended_at,
               e.lease_owner, e.lease_expires, e.heartbeat_at)
      .Run();
}

#undef GROVE_EXECUTION_COLUMNS

}  // namespace grove::store
