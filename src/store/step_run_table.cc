#include "store/step_run_table.h"

namespace grove::store {

namespace {

#define GROVE_STEP_RUN_COLUMNS                                                                        \
  "SELECT execution_id, step_name, step_type, status, attempts, started_at, ended_at, failure_reason, " \
  "cache_key, cache_hit_source, metadata, outputs, log_digest, arguments FROM step_runs "

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
  r.arguments = row.JsonValue(13);
  return r;
}

constexpr const char* kUpsertStepRun =
    "INSERT INTO step_runs (execution_id, step_name, step_type, status, attempts, started_at, ended_at, "
    "failure_reason, cache_key, cache_hit_source, metadata, outputs, log_digest, arguments) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (execution_id, step_name) DO UPDATE SET step_type = excluded.step_type, "
    "status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at, "
    "ended_at = excluded.ended_at, failure_reason = excluded.failure_reason, cache_key = excluded.cache_key, "
    "cache_hit_source = excluded.cache_hit_source, metadata = excluded.metadata, outputs = excluded.outputs, "
    "log_digest = excluded.log_digest, arguments = excluded.arguments";

}  // namespace

Result<std::optional<StepRunRecord>> StepRunTable::Find(const std::string& execution_id,
                                                        const std::string& step_name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE execution_id = ? AND step_name = ?"));
  return FirstRow(select.BindAll(execution_id, step_name), StepRunFromRow);
}

Result<std::vector<StepRunRecord>> StepRunTable::List(const std::string& execution_id) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE execution_id = ? ORDER BY started_at, rowid"));
  select.BindAll(execution_id);
  return CollectRows(select, StepRunFromRow);
}

Result<std::optional<StepRunRecord>> StepRunTable::FindCacheHit(const std::string& cache_key, TimeMs not_before) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(GROVE_STEP_RUN_COLUMNS "WHERE cache_key = ? AND status = ? AND cache_hit_source = '' "
                                                       "AND started_at >= ? "
                                                       "ORDER BY started_at DESC, rowid DESC LIMIT 1"));
  return FirstRow(select.BindAll(cache_key, kSucceeded, not_before), StepRunFromRow);
}

Status StepRunTable::Put(const StepRunRecord& run) {
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsertStepRun));
  return upsert
      .BindAll(run.execution_id, run.step_name, run.step_type, run.status, run.attempts, run.started_at,
               run.ended_at, run.failure_reason, run.cache_key, run.cache_hit_source, run.metadata, run.outputs,
               run.log_digest, run.arguments)
      .Run();
}

#undef GROVE_STEP_RUN_COLUMNS

}  // namespace grove::store
