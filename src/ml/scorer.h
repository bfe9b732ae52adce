#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/dataset.h"
#include "ml/model.h"

namespace grove::ml {

// A score by scikit-learn's scorer name, always "greater is better" (so losses
// are negated, as in scikit-learn: neg_log_loss, neg_mean_squared_error, ...).
//
// Classification (labels 0/1):
//   accuracy, balanced_accuracy, precision, recall, f1   on predicted labels (probability > 0.5);
//   roc_auc, average_precision, neg_log_loss              on probabilities of class 1.
// Regression: r2, neg_mean_squared_error, neg_root_mean_squared_error, neg_mean_absolute_error.
//
// Edge cases follow scikit-learn: precision, recall and f1 are 0 where they
// would divide by zero; balanced_accuracy averages the recall of the classes
// present in the labels; roc_auc is NaN unless both classes occur;
// average_precision is sum over thresholds of (R_n - R_{n-1}) * P_n (no
// interpolation) and 0 without positives; neg_log_loss clips probabilities to
// [eps, 1 - eps] with the double epsilon (scikit-learn >= 1.2's eps="auto").
class Scorer {
 public:
  enum class Input { kLabels, kProbabilities, kValues };

  // kInvalidArgument for an unknown name, listing the valid ones.
  static Result<Scorer> ByName(std::string_view name);
  // Every valid name, classification first.
  static const std::vector<std::string>& Names();

  const std::string& name() const { return name_; }
  // The task its truth values belong to.
  TaskKind task() const { return input_ == Input::kValues ? TaskKind::kRegression : TaskKind::kBinaryClassification; }
  // What Score's `predictions` are.
  Input input() const { return input_; }

  // The score of predictions (labels, probabilities or values as input() says)
  // against truth. REQUIRES: equal lengths.
  double Score(std::span<const double> truth, std::span<const double> predictions) const;
  // Predicts `data` with `model` (Predict or PredictProba as needed) and scores it
  // against data.labels. kInvalidArgument when the model's task differs.
  Result<double> Score(const Model& model, const Dataset& data) const;

 private:
  Scorer(std::string name, Input input) : name_(std::move(name)), input_(input) {}

  std::string name_;
  Input input_;
};

// scikit-learn's average_precision_score for 0/1 labels and scores.
double AveragePrecision(std::span<const double> labels, std::span<const double> scores);
// Mean binary log loss with probabilities clipped to [eps, 1 - eps], eps = 2^-52.
double LogLoss(std::span<const double> labels, std::span<const double> probabilities);

}  // namespace grove::ml
