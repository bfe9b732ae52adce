#include "store/trial_table.h"

namespace grove::store {

namespace {

#define GROVE_TRIAL_COLUMNS                                                                                  \
  "SELECT t.execution_id, t.step_name, t.number, t.family, t.hyperparameters, t.fold_scores, t.mean_score, " \
  "t.status, t.error, t.started_at, t.ended_at, t.duration_ms FROM trials t "

constexpr const char* kSelect =
    GROVE_TRIAL_COLUMNS "WHERE t.execution_id = ? AND (? = '' OR t.step_name = ?) ORDER BY t.step_name, t.number";

constexpr const char* kSelectByCacheKey = GROVE_TRIAL_COLUMNS
    "JOIN step_runs s ON s.execution_id = t.execution_id AND s.step_name = t.step_name "
    "WHERE s.cache_key = ? AND s.cache_key != '' ORDER BY t.ended_at, t.rowid";

#undef GROVE_TRIAL_COLUMNS

constexpr const char* kUpsertTrial =
    "INSERT INTO trials (execution_id, step_name, number, family, hyperparameters, fold_scores, mean_score, "
    "status, error, started_at, ended_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (execution_id, step_name, number) DO UPDATE SET family = excluded.family, "
    "hyperparameters = excluded.hyperparameters, fold_scores = excluded.fold_scores, "
    "mean_score = excluded.mean_score, status = excluded.status, error = excluded.error, "
    "started_at = excluded.started_at, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms";

TrialRecord TrialFromRow(const Statement& row) {
  TrialRecord t;
  t.execution_id = row.Text(0);
  t.step_name = row.Text(1);
  t.number = row.Int(2);
  t.family = row.Text(3);
  t.hyperparameters = row.JsonValue(4);
  t.fold_scores = row.JsonValue(5);
  if (!t.fold_scores.is_array()) t.fold_scores = Json::array();
  t.mean_score = row.Double(6);
  t.status = row.Text(7);
  t.error = row.Text(8);
  t.started_at = row.Int64(9);
  t.ended_at = row.Int64(10);
  t.duration_ms = row.Int64(11);
  return t;
}

}  // namespace

Status TrialTable::Put(const TrialRecord& trial) {
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsertTrial));
  return upsert
      .BindAll(trial.execution_id, trial.step_name, trial.number, trial.family, trial.hyperparameters,
               trial.fold_scores, trial.mean_score, trial.status, trial.error, trial.started_at, trial.ended_at,
               trial.duration_ms)
      .Run();
}

Result<std::vector<TrialRecord>> TrialTable::List(const std::string& execution_id, const std::string& step_name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelect));
  select.BindAll(execution_id, step_name, step_name);
  return CollectRows(select, TrialFromRow);
}

Result<std::vector<TrialRecord>> TrialTable::ListByCacheKey(const std::string& cache_key) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectByCacheKey));
  select.BindAll(cache_key);
  return CollectRows(select, TrialFromRow);
}

}  // namespace grove::store
