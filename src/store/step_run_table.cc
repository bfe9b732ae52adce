#include "store/step_run_table.h"

#include "store/messages.h"

namespace grove::store {

namespace {

#define GROVE_STEP_RUN_COLUMNS                                                                        \
  "SELECT execution_id, step_name, step_type, status, attempts, started_at, ended_at, failure_reason, " \
  "cache_key, cache_hit_source, metadata, outputs, log_digest FROM step_runs "

StepRunRecord StepRunFromRow(const Statement& row) {
  StepRunRecord r;
  r.execution_id = row.Text(0);
  r.step_name = row.Text(1);
  r.step_type = row.Text(2);
  r.status = row.Text(3);
  r.attempts = row.Int(4);
  r.started_at = row.Int64(5);
  r.ended_at = row.Int64(6);
  r.failure_reason = row.Text(7);
  r.cache_key = row.Text(8);
  r.cache_hit_source = row.Text(9);
  r.metadata = row.JsonValue(10);
  r.outputs = row.JsonValue(11);
  r.log_digest = row.Text(12);
  return r;
}

constexpr const char* kUpsertStepRun =
    "INSERT INTO step_runs (execution_id, step_name, step_type, status, attempts, started_at, ended_at, "
    "failure_reason, cache_key, cache_hit_source, metadata, outputs, log_digest) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (execution_id, step_name) DO UPDATE SET step_type = excluded.step_type, "
    "status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at, "
    "ended_at = excluded.ended_at, failure_reason = excluded.failure_reason, cache_key = excluded.cache_key, "
    "cache_hit_source = excluded.cache_hit_source, metadata = excluded.metadata, outputs = excluded.outputs, "
    "log_digest = excluded.log_digest";

}  // namespace

Status StepRunTable::Put(const StepRunRecord& run, TimeMs now) {
  if (!IsStepStatus(run.status)) {
    return Status::InvalidArgument("step '" + run.step_name + "': '" + run.status + "' is not a step status");
  }
  ASSIGN_OR_RETURN(Statement exists, db_->Prepare("SELECT 1 FROM executions WHERE id = ?"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(run.execution_id).Step());
  if (!found) return Status::NotFound("no execution '" + run.execution_id + "'");
  ASSIGN_OR_RETURN(std::optional<std::string> before, StoredStatus(run.execution_id, run.step_name));
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsertStepRun));
  RETURN_IF_ERROR(upsert
                      .BindAll(run.execution_id, run.step_name, run.step_type, run.status, run.attempts,
                               run.started_at, run.ended_at, run.failure_reason, run.cache_key,
                               run.cache_hit_source, run.metadata, run.outputs, run.log_digest)
                      .Run());
  if (before.has_value() && *before == run.status) return Status::OK();
  return StatusEvent(run.execution_id, run.step_name, run.status, now);
}

Result<std::optional<std::string>> StepRunTable::StoredStatus(const std::string& execution_id,
                                                              const std::string& step_name) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT status FROM step_runs WHERE execution_id = ? AND step_name = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(execution_id, step_name).Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(select.Text(0));
}

Status StepRunTable::StatusEvent(const std::string& execution_id, const std::string& step_name,
                                 const std::string& status, TimeMs now) {
  Json payload = {{"execution_id", execution_id}, {"step", step_name}, {"status", status}};
  return events_->Append(now, kEventStepStatus, execution_id, payload);
}

Result<std::vector<StepRunRecord>> StepRunTable::List(const std::string& execution_id) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE execution_id = ? ORDER BY started_at, rowid"));
  select.BindAll(execution_id);
  std::vector<StepRunRecord> runs;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return runs;
    runs.push_back(StepRunFromRow(select));
  }
}

Result<StepRunRecord> StepRunTable::Get(const std::string& execution_id, const std::string& step_name) {
  {
    ASSIGN_OR_RETURN(Statement select,
                     db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE execution_id = ? AND step_name = ?"));
    ASSIGN_OR_RETURN(bool row, select.BindAll(execution_id, step_name).Step());
    if (row) return StepRunFromRow(select);
  }
  ASSIGN_OR_RETURN(Statement exists, db_->Prepare("SELECT 1 FROM executions WHERE id = ?"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(execution_id).Step());
  if (!found) return Status::NotFound("no execution '" + execution_id + "'");
  ASSIGN_OR_RETURN(std::vector<StepRunRecord> runs, List(execution_id));
  std::vector<std::string> names;
  for (const StepRunRecord& r : runs) names.push_back(r.step_name);
  return Status::NotFound("no step '" + step_name + "' in execution '" + execution_id + "' (steps: " +
                          NameList(names) + ")");
}

Result<std::optional<StepRunRecord>> StepRunTable::FindCacheHit(const std::string& cache_key, TimeMs not_before) {
  if (cache_key.empty()) return std::optional<StepRunRecord>();
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE cache_key = ? AND status = ? AND cache_hit_source = '' "
                                                       "AND started_at >= ? "
                                                       "ORDER BY started_at DESC, rowid DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(cache_key, kSucceeded, not_before).Step());
  if (!row) return std::optional<StepRunRecord>();
  return std::optional<StepRunRecord>(StepRunFromRow(select));
}

Status StepRunTable::FailUnfinished(const std::string& execution_id, const std::string& reason, TimeMs now) {
  std::vector<std::string> unfinished;
  {
    ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT step_name FROM step_runs WHERE execution_id = ? "
                                                    "AND status IN (?, ?, ?) ORDER BY rowid"));
    select.BindAll(execution_id, kStarting, kExecuting, kStopping);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      unfinished.push_back(select.Text(0));
    }
  }
  for (const std::string& step : unfinished) {
    ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE step_runs SET status = ?, failure_reason = ?, "
                                                    "ended_at = ? WHERE execution_id = ? AND step_name = ?"));
    RETURN_IF_ERROR(update.BindAll(kFailed, reason, now, execution_id, step).Run());
    RETURN_IF_ERROR(StatusEvent(execution_id, step, kFailed, now));
  }
  return Status::OK();
}

#undef GROVE_STEP_RUN_COLUMNS

}  // namespace grove::store
