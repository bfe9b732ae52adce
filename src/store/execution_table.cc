#include "store/execution_table.h"

namespace grove::store {

namespace {

#define GROVE_EXECUTION_COLUMNS                                                                       \
  "SELECT id, pipeline, version, status, parameters, failure_reason, started_at, ended_at, lease_owner, " \
  "lease_expires FROM executions "

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
  return e;
}

Result<std::vector<ExecutionRecord>> CollectExecutions(Statement& select) {
  std::vector<ExecutionRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return out;
    out.push_back(ExecutionFromRow(select));
  }
}

Status StatusEvent(EventTable* events, TimeMs now, const std::string& id, const std::string& status,
                   const std::string& reason) {
  return events->Append(now, kEventExecutionStatus, id, {{"status", status}, {"failure_reason", reason}});
}

}  // namespace

Status ExecutionTable::Create(const ExecutionRecord& execution, TimeMs now) {
  if (execution.id.empty()) return Status::InvalidArgument("the execution has no id");
  std::string status = execution.status.empty() ? kExecuting : execution.status;
  if (!IsExecutionStatus(status)) return Status::InvalidArgument("'" + status + "' is not an execution status");
  if (Get(execution.id).ok()) return Status::AlreadyExists("execution '" + execution.id + "' already exists");
  TimeMs started_at = execution.started_at != 0 ? execution.started_at : now;
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO executions (id, pipeline, version, status, parameters, failure_reason, "
                                "started_at, ended_at, lease_owner, lease_expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                "?, ?)"));
  RETURN_IF_ERROR(insert
                      .BindAll(execution.id, execution.pipeline, execution.version, status, execution.parameters,
                               execution.failure_reason, started_at, execution.ended_at, execution.lease_owner,
                               execution.lease_expires)
                      .Run());
  Json payload = {{"pipeline", execution.pipeline},
                  {"version", execution.version},
                  {"status", status},
                  {"parameters", execution.parameters}};
  return events_->Append(now, kEventExecutionCreated, execution.id, payload);
}

Status ExecutionTable::UpdateStatus(const std::string& id, const std::string& status,
                                    const std::string& failure_reason, TimeMs ended_at, TimeMs now) {
  if (!IsExecutionStatus(status)) return Status::InvalidArgument("'" + status + "' is not an execution status");
  ASSIGN_OR_RETURN(ExecutionRecord current, Get(id));
  ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE executions SET status = ?, failure_reason = ?, "
                                                  "ended_at = CASE WHEN ? = 0 THEN ended_at ELSE ? END "
                                                  "WHERE id = ?"));
  RETURN_IF_ERROR(update.BindAll(status, failure_reason, ended_at, ended_at, id).Run());
  if (current.status == status && current.failure_reason == failure_reason) return Status::OK();
  return StatusEvent(events_, now, id, status, failure_reason);
}

Status ExecutionTable::RequestStop(const std::string& id, TimeMs now) {
  ASSIGN_OR_RETURN(ExecutionRecord current, Get(id));
  if (current.status != kExecuting) {
    return Status::FailedPrecondition("execution '" + id + "' is " + current.status +
                                      "; only an Executing execution can be stopped");
  }
  ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE executions SET status = ? WHERE id = ?"));
  RETURN_IF_ERROR(update.BindAll(kStopping, id).Run());
  return StatusEvent(events_, now, id, kStopping, current.failure_reason);
}

Result<ExecutionRecord> ExecutionTable::Get(const std::string& id) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_EXECUTION_COLUMNS "WHERE id = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(id).Step());
  if (!row) return Status::NotFound("no execution '" + id + "'");
  return ExecutionFromRow(select);
}

Result<std::vector<ExecutionRecord>> ExecutionTable::List(const std::string& pipeline, int limit) {
  int64_t max_rows = limit > 0 ? limit : -1;
  if (pipeline.empty()) {
    ASSIGN_OR_RETURN(Statement select,
                     db_->Prepare(GROVE_EXECUTION_COLUMNS "ORDER BY started_at DESC, rowid DESC LIMIT ?"));
    select.BindAll(max_rows);
    return CollectExecutions(select);
  }
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_EXECUTION_COLUMNS
                                                  "WHERE pipeline = ? ORDER BY started_at DESC, rowid DESC LIMIT ?"));
  select.BindAll(pipeline, max_rows);
  return CollectExecutions(select);
}

Status ExecutionTable::RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires) {
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(Statement update,
                     db_->Prepare("UPDATE executions SET lease_owner = ?, lease_expires = ? WHERE id = ?"));
    RETURN_IF_ERROR(update.BindAll(owner, expires, id).Run());
    if (update.Changes() == 0) return Status::NotFound("no execution '" + id + "'");
  }
  return Status::OK();
}

Result<std::vector<std::string>> ExecutionTable::ExpiredIds(TimeMs now) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT id FROM executions WHERE status IN (?, ?) "
                                                  "AND lease_expires > 0 AND lease_expires < ? ORDER BY rowid"));
  select.BindAll(kExecuting, kStopping, now);
  std::vector<std::string> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return ids;
    ids.push_back(select.Text(0));
  }
}

#undef GROVE_EXECUTION_COLUMNS

}  // namespace grove::store
