#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

// "regression" or "binary_classification".
Status ValidateEvaluationKind(const std::string& kind);

struct EvaluationRequest {
  std::filesystem::path model;  // An XGBoost model file, or a Grove model document of any family (Model::Save).
  std::filesystem::path test;   // Headerless CSV, label in column 0.
  std::string kind;             // "regression" | "binary_classification".
  // Classification: probability cut for the predicted label. Default 0.5.
  double threshold = 0.5;
  // Optional: name of the metric (accuracy, precision, recall, f1, auc) copied
  // into the report as "register_metric".
  std::string register_metric;
  // XGBoost threads for prediction; 0 keeps XGBoost's default (every core).
  // One thread predicts thousands of rows in about a millisecond, and idle
  // OpenMP threads spin, which costs 10x when other work shares the cores.
  int nthread = 1;
};

// Predicts the test set and returns the report in the layout of
// seed-pipelines.md: {"regression_metrics": {...}} or {"binary_classification_metrics": {...}}.
// A regression report also has, beside its metrics, "residuals": {"histogram":
// {"edges": [21 numbers], "counts": [20 integers]}, "points": [[prediction,
// residual], ...]}: residual = label - prediction, 20 equal bins over [min,
// max] residual, and at most 500 evenly spaced rows (every ceil(n/500)-th).
// Every metric is {"value": v, "standard_deviation": s}; s is "NaN" except for
// mse (the standard deviation of the residuals), and a value that is not a
// number is written "NaN" too. Classification uses positive-class
// probabilities: binary:logistic gives them, binary:logitraw margins go through
// the sigmoid, and a 2-class multi:softprob model gives column 1; labels must be
// 0 or 1, and both must occur (AUC is undefined with one class only).
// Regression accepts register_metric mse, rmse, mae or r2. Errors:
// kInvalidArgument for a bad request or test file (naming it "test", as the
// Evaluation step's argument, not by path), kNotFound for a missing file.
Result<Json> Evaluate(const EvaluationRequest& request);

// The test rows' labels and the model's predictions for them (probabilities
// for classification), as Evaluate computes them, with its checks and errors.
struct ScoredTest {
  std::vector<double> labels;
  std::vector<double> predictions;
};
Result<ScoredTest> ScoreTest(const EvaluationRequest& request);

// The report sections alone, for given truth and predictions (probabilities
// for classification). REQUIRES: equal lengths.
Json RegressionReport(std::span<const double> y, std::span<const double> y_hat);
Json BinaryClassificationReport(std::span<const double> labels, std::span<const double> probabilities,
                                double threshold = 0.5);

}  // namespace grove::ml
