#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"
#include "ml/tuner.h"
#include "store/records.h"

namespace grove::pipeline {

// Trials as the metadata store keeps them, and back.
store::TrialRecord ToTrialRecord(const ml::TrialResult& result, const std::string& execution_id,
                                 const std::string& step_name);
ml::TrialResult FromTrialRecord(const store::TrialRecord& record);
// Finished (Completed or Pruned) trials by number, the first record of each
// number winning, for TunerOptions::finished.
std::map<int, ml::TrialResult> FinishedTrials(const std::vector<store::TrialRecord>& records);

// One trial as a JSON object: number, family, hyperparameters, fold_scores,
// mean_score (null when undefined), status, duration_ms, error, reused.
Json TrialJson(const ml::TrialResult& result);

// The `best` output: {"family", "hyperparameters", "mean_score", "fold_scores",
// "trial", "scoring", "task"}; read back by RefitBest.
Json BestJson(const ml::TrialResult& best, const std::string& scoring, ml::TaskKind task);

// The `trials` output: {"scoring", "best_trial", "trials": [TrialJson...]}.
Json TrialsDocument(const std::vector<ml::TrialResult>& results, std::optional<size_t> best,
                    const std::string& scoring);

// Fits the family and hyperparameters of a `best` document on `train` and
// writes the model (Model::Save's document) to `out`. Errors name the field of
// `best` that is missing or the fit's problem.
Status RefitBest(const Json& best, const ml::Dataset& train, const std::filesystem::path& out);

}  // namespace grove::pipeline
