#pragma once

#include <span>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "ml/evaluation.h"

namespace grove::ml {

// Model quality in SageMaker Model Monitor's layouts: statistics
// ({version, dataset{item_count}, regression_metrics | binary_classification_metrics}),
// constraints ({version, regression_constraints | binary_classification_constraints},
// each metric {threshold, comparison_operator}) and violations. The metrics
// come from evaluation.h's reports (metrics.h computes them), completed here
// with what Model Monitor adds.

// "Regression" or "BinaryClassification" (Model Monitor's problem types); the
// Evaluation kind ("regression", "binary_classification") it maps to.
Result<std::string> EvaluationKindOf(const std::string& problem_type);

// Statistics from an evaluation report (Evaluate, RegressionReport or
// BinaryClassificationReport). Binary classification gains f0_5, f2, the four
// rates and the *_best_constant_classifier metrics (of the classifier that
// always predicts 1, as Model Monitor's reference figures are); keys are in
// the reference file's order. Every metric is {value, standard_deviation}.
Result<Json> ModelQualityStatistics(const Json& evaluation_report, int64_t item_count);

// Statistics for given truth and predictions (probabilities for classification).
Json RegressionQualityStatistics(std::span<const double> y, std::span<const double> y_hat);
Json BinaryClassificationQualityStatistics(std::span<const double> labels, std::span<const double> probabilities,
                                           double threshold = 0.5);

// Predicts `request.test` with `request.model` (as Evaluate does) and returns the statistics.
Result<Json> ModelQualityOfModel(const EvaluationRequest& request);

// Constraints suggested from statistics: each metric's threshold is its value;
// errors (mae, mse, rmse, false positive and negative rates) must not be
// GreaterThanThreshold, scores (r2, accuracy, precision, recall, auc, f0_5, f1,
// f2, true positive and negative rates) not LessThanThreshold. Metrics
// without a numeric value are left out.
Json SuggestModelQualityConstraints(const Json& statistics);

// {"violations": [{metric_name, constraint_check_type, description}]}: one per
// constraint whose metric breaks it, constraint_check_type being the
// comparison_operator ("Metric auc with 0.61 was LessThanThreshold 0.8").
// Operators: GreaterThanThreshold, LessThanThreshold and their OrEqualTo forms.
// Errors: a constraint naming a metric the statistics lack or an unknown
// operator, naming it.
Result<Json> CheckModelQuality(const Json& statistics, const Json& constraints);

}  // namespace grove::ml
