#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

struct TrainRequest {
  std::filesystem::path train;                  // Headerless CSV, label in column 0.
  std::filesystem::path validation;             // Optional (empty path: none).
  Json hyperparameters = Json::object();        // SageMaker built-in XGBoost names and values.
  std::filesystem::path model_out;              // Where to write the model (XGBoost JSON).
  std::function<void(const std::string&)> log;  // Per-round metric lines; may be empty.
  const std::atomic<bool>* stop = nullptr;      // Checked between rounds.
  // XGBoost threads when the hyperparameters set no nthread; 0 keeps XGBoost's
  // default (every core). OpenMP threads spin while they wait, so when other
  // work shares the cores, 1 trains Abalone-sized data 5-100x faster than the default.
  int nthread = 0;
};

struct TrainSummary {
  int rounds = 0;           // Rounds trained.
  int best_iteration = -1;  // With early stopping on validation; else -1.
  // {"train-rmse": [..per round..], "validation-rmse": [...]}
  Json metrics = Json::object();
  // With early stopping: the validation metric watched ("validation-rmse") and its best value.
  std::string stopping_metric;
  double best_score = 0;
  int model_rounds = 0;  // Rounds in the saved model: best_iteration + 1 with early stopping, else rounds.

  // Each metric's last value: {"train-rmse": 1.2, "validation-rmse": 1.4}.
  Json FinalMetrics() const;
  // What a training step records: {"algorithm", "rounds", "best_iteration", "final_metrics"}.
  Json StepMetadata() const;
};

// Checks names, types and ranges of SageMaker XGBoost hyperparameters.
// Errors name the hyperparameter and what is expected.
Status ValidateXgboostHyperparameters(const Json& hyperparameters);

// Trains XGBoost as SageMaker's built-in algorithm does: the training set is
// evaluated as "train" and the validation set as "validation" every round, and
// request.log gets XGBoost's line for the round ("[3]\ttrain-rmse:1.2\tvalidation-rmse:1.4").
// With early_stopping_rounds (REQUIRES a validation set), training stops once
// the last validation metric has not improved for that many rounds (auc, aucpr,
// map, ndcg and pre are maximised, others minimised) and the saved model is
// truncated to rounds 0..best_iteration, so every reader predicts with the best
// model; it also carries the attributes best_iteration and best_score, as the
// xgboost Python package sets them. Stops with kCancelled when *request.stop
// is set between rounds; bad input is kInvalidArgument naming the data set by
// its field ("train", "validation": the Training step's arguments, not the
// path) and the place: "train:5:1: the label (field 1) '1e308' is outside the
// float range ..." (see ReadLabelFirstCsv; XGBoost trains in float32).
// Deterministic for fixed data and hyperparameters (seed defaults to 0).
Result<TrainSummary> TrainXgboost(const TrainRequest& request);

// Splits one XGBoosterEvalOneIter line into (name, value) pairs:
// "[3]\ttrain-rmse:1.2\tvalidation-rmse:1.4" -> {("train-rmse", 1.2), ("validation-rmse", 1.4)}.
Result<std::vector<std::pair<std::string, double>>> ParseEvalLine(std::string_view line);

}  // namespace grove::ml
