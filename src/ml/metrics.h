#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace grove::ml {

// Pure metric functions over equally long vectors of true values and
// predictions. REQUIRES: equal lengths and no NaN. An empty input gives NaN
// where the metric would divide by zero.

// ---- Regression ----
double MeanSquaredError(std::span<const double> y, std::span<const double> y_hat);
double RootMeanSquaredError(std::span<const double> y, std::span<const double> y_hat);
double MeanAbsoluteError(std::span<const double> y, std::span<const double> y_hat);
// 1 - SS_res / SS_tot. With constant y (SS_tot = 0): 1 for a perfect fit, else 0 (scikit-learn's convention).
double R2Score(std::span<const double> y, std::span<const double> y_hat);
// Population standard deviation (numpy's std, ddof = 0) of the residuals y - y_hat.
double ResidualStandardDeviation(std::span<const double> y, std::span<const double> y_hat);

// ---- Binary classification ----
// Labels are 0 or 1 (any non-zero label counts as 1); scores are positive-class
// probabilities. A row is predicted positive when its probability is strictly
// above the threshold, as XGBClassifier.predict and numpy.round do at 0.5.
struct ConfusionMatrix {
  int64_t tn = 0;
  int64_t fp = 0;
  int64_t fn = 0;
  int64_t tp = 0;
};
ConfusionMatrix BinaryConfusionMatrix(std::span<const double> labels, std::span<const double> probabilities,
                                      double threshold = 0.5);

// Each is 0 where it would divide by zero (scikit-learn's zero_division=0); accuracy of nothing is NaN.
double Accuracy(const ConfusionMatrix& m);
double Precision(const ConfusionMatrix& m);
double Recall(const ConfusionMatrix& m);
double F1Score(const ConfusionMatrix& m);

// Area under the ROC curve from scores (Mann-Whitney: rank-based, tied scores
// share their average rank). NaN unless both classes occur.
double RocAuc(std::span<const double> labels, std::span<const double> scores);

// Curves at most this long after CapCurve.
inline constexpr size_t kMaxCurvePoints = 10000;

// One point per distinct score, thresholds descending (a point counts scores
// >= the threshold as positive), starting at (0, 0) and ending at (1, 1), as
// scikit-learn's roc_curve(drop_intermediate=False). Empty unless both classes occur.
struct RocCurve {
  std::vector<double> false_positive_rates;
  std::vector<double> true_positive_rates;
};
RocCurve ComputeRocCurve(std::span<const double> labels, std::span<const double> scores);

// scikit-learn's precision_recall_curve: one point per distinct score,
// thresholds ascending (recall decreasing), then the final point (1, 0).
// Without positives every recall is 1, as scikit-learn sets it.
struct PrecisionRecallCurve {
  std::vector<double> precisions;
  std::vector<double> recalls;
};
PrecisionRecallCurve ComputePrecisionRecallCurve(std::span<const double> labels, std::span<const double> scores);

// Keeps at most `max_points` points of the parallel vectors `x` and `y`, evenly
// spaced by index, always including the first and last. REQUIRES: max_points >= 2.
void CapCurve(std::vector<double>* x, std::vector<double>* y, size_t max_points = kMaxCurvePoints);

}  // namespace grove::ml
