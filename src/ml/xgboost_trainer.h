#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

struct TrainRequest {
  std::filesystem::path train;       // Headerless CSV, label in column 0.
  std::filesystem::path validation;  // Optional (empty path: none).
  Json hyperparameters = Json::object();  // SageMaker built-in XGBoost names and values.
  std::filesystem::path model_out;   // Where to write the model (XGBoost JSON).
  std::function<void(const std::string&)> log;  // Per-round metric lines; may be empty.
  const std::atomic<bool>* stop = nullptr;      // Checked between rounds.
};

struct TrainSummary {
  int rounds = 0;          // Rounds trained.
  int best_iteration = -1; // With early stopping on validation; else -1.
  // {"train-rmse": [..per round..], "validation-rmse": [...]}
  Json metrics = Json::object();
};

// Checks names, types and ranges of SageMaker XGBoost hyperparameters.
// Errors name the hyperparameter and what is expected.
Status ValidateXgboostHyperparameters(const Json& hyperparameters);

Result<TrainSummary> TrainXgboost(const TrainRequest& request);

}  // namespace grove::ml
