#include "pipeline/steps/tuning_results.h"

#include <cmath>

#include "common/file_util.h"
#include "ml/model_registry.h"

namespace grove::pipeline {

namespace {

Json Number(double v) { return std::isfinite(v) ? Json(v) : Json(); }

Json Scores(const std::vector<double>& scores) {
  Json out = Json::array();
  for (double s : scores) out.push_back(Number(s));
  return out;
}

}  // namespace

store::TrialRecord ToTrialRecord(const ml::TrialResult& result, const std::string& execution_id,
                                 const std::string& step_name) {
  store::TrialRecord r;
  r.execution_id = execution_id;
  r.step_name = step_name;
  r.number = result.spec.number;
  r.family = result.spec.family;
  r.hyperparameters = result.spec.hyperparameters;
  r.fold_scores = Scores(result.outcome.fold_scores);
  r.mean_score = result.outcome.mean;
  r.status = result.outcome.status;
  r.error = result.outcome.error;
  r.started_at = result.started_at;
  r.ended_at = result.ended_at;
  r.duration_ms = result.outcome.duration_ms;
  return r;
}

ml::TrialResult FromTrialRecord(const store::TrialRecord& record) {
  ml::TrialResult r;
  r.spec.number = record.number;
  r.spec.family = record.family;
  r.spec.hyperparameters = record.hyperparameters;
  for (const Json& s : record.fold_scores) r.outcome.fold_scores.push_back(s.is_number() ? s.get<double>() : NAN);
  r.outcome.mean = record.mean_score;
  r.outcome.status = record.status;
  r.outcome.error = record.error;
  r.outcome.duration_ms = record.duration_ms;
  r.started_at = record.started_at;
  r.ended_at = record.ended_at;
  return r;
}

std::map<int, ml::TrialResult> FinishedTrials(const std::vector<store::TrialRecord>& records) {
  std::map<int, ml::TrialResult> out;
  for (const store::TrialRecord& r : records) {
    bool finished = r.status == store::kTrialCompleted || r.status == store::kTrialPruned;
    if (finished && !out.contains(r.number)) out[r.number] = FromTrialRecord(r);
  }
  return out;
}

Json TrialJson(const ml::TrialResult& result) {
  return Json{{"number", result.spec.number},
              {"family", result.spec.family},
              {"hyperparameters", result.spec.hyperparameters},
              {"fold_scores", Scores(result.outcome.fold_scores)},
              {"mean_score", Number(result.outcome.mean)},
              {"status", result.outcome.status},
              {"duration_ms", result.outcome.duration_ms},
              {"error", result.outcome.error},
              {"reused", result.reused}};
}

Json BestJson(const ml::TrialResult& best, const std::string& scoring, ml::TaskKind task) {
  return Json{{"family", best.spec.family},
              {"hyperparameters", best.spec.hyperparameters},
              {"mean_score", Number(best.outcome.mean)},
              {"fold_scores", Scores(best.outcome.fold_scores)},
              {"trial", best.spec.number},
              {"scoring", scoring},
              {"task", std::string(ml::TaskKindName(task))}};
}

Json TrialsDocument(const std::vector<ml::TrialResult>& results, std::optional<size_t> best,
                    const std::string& scoring) {
  Json trials = Json::array();
  for (const ml::TrialResult& r : results) trials.push_back(TrialJson(r));
  return Json{{"scoring", scoring},
              {"best_trial", best ? Json(results[*best].spec.number) : Json()},
              {"trials", std::move(trials)}};
}

Status RefitBest(const Json& best, const ml::Dataset& train, const std::filesystem::path& out) {
  if (!best.is_object() || !best.contains("family") || !best["family"].is_string()) {
    return Status::InvalidArgument("best: expected an object with \"family\" (the Tuning step's best output)");
  }
  const std::string family = best["family"].get<std::string>();
  const Json hyperparameters = best.value("hyperparameters", Json::object());
  ASSIGN_OR_RETURN(ml::TaskKind task, ml::ParseTaskKind(best.value("task", "binary_classification")));
  ASSIGN_OR_RETURN(std::unique_ptr<ml::Model> model,
                   ml::ModelRegistry::BuiltIn().Create(family, hyperparameters, task));
  Status fit = model->Fit(train);
  if (!fit.ok()) return fit.WithContext("refit of " + family);
  ASSIGN_OR_RETURN(std::string bytes, model->Save());
  return WriteFile(out, bytes);
}

}  // namespace grove::pipeline
