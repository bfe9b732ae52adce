#pragma once

#include <filesystem>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

// "regression" or "binary_classification".
Status ValidateEvaluationKind(const std::string& kind);

struct EvaluationRequest {
  std::filesystem::path model;  // XGBoost model file.
  std::filesystem::path test;   // Headerless CSV, label in column 0.
  std::string kind;             // "regression" | "binary_classification".
  // Classification: probability cut for the predicted label. Default 0.5.
  double threshold = 0.5;
  // Optional: name of the metric (accuracy, precision, recall, f1, auc) copied
  // into the report as "register_metric".
  std::string register_metric;
};

// Predicts the test set and returns the report in the layout of
// seed-pipelines.md: {"regression_metrics": {...}} or {"binary_classification_metrics": {...}}.
Result<Json> Evaluate(const EvaluationRequest& request);

}  // namespace grove::ml
