#include "ml/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace grove::ml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool IsPositive(double label) { return label != 0.0; }

double Ratio(double numerator, double denominator) { return denominator == 0 ? 0.0 : numerator / denominator; }

// Row indices ordered by descending score (stable, so equal scores keep input order).
std::vector<size_t> DescendingOrder(std::span<const double> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

// Cumulative (false positives, true positives) at each distinct score,
// thresholds descending: scikit-learn's _binary_clf_curve.
struct CumulativeCounts {
  std::vector<double> fps;
  std::vector<double> tps;
};

CumulativeCounts CountsByThreshold(std::span<const double> labels, std::span<const double> scores) {
  CumulativeCounts out;
  std::vector<size_t> order = DescendingOrder(scores);
  double fp = 0;
  double tp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    (IsPositive(labels[order[i]]) ? tp : fp) += 1;
    bool last_of_score = i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]];
    if (last_of_score) {
      out.fps.push_back(fp);
      out.tps.push_back(tp);
    }
  }
  return out;
}

}  // namespace

double MeanSquaredError(std::span<const double> y, std::span<const double> y_hat) {
  if (y.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += (y[i] - y_hat[i]) * (y[i] - y_hat[i]);
  return sum / static_cast<double>(y.size());
}

double RootMeanSquaredError(std::span<const double> y, std::span<const double> y_hat) {
  return std::sqrt(MeanSquaredError(y, y_hat));
}

double MeanAbsoluteError(std::span<const double> y, std::span<const double> y_hat) {
  if (y.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += std::fabs(y[i] - y_hat[i]);
  return sum / static_cast<double>(y.size());
}

double R2Score(std::span<const double> y, std::span<const double> y_hat) {
  if (y.empty()) return kNaN;
  double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double ss_res = 0;
  double ss_tot = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    ss_res += (y[i] - y_hat[i]) * (y[i] - y_hat[i]);
    ss_tot += (y[i] - mean) * (y[i] - mean);
  }
  if (ss_tot == 0) return ss_res == 0 ? 1.0 : 0.0;
  return 1.0 - ss_res / ss_tot;
}

double ResidualStandardDeviation(std::span<const double> y, std::span<const double> y_hat) {
  if (y.empty()) return kNaN;
  double n = static_cast<double>(y.size());
  double mean = 0;
  for (size_t i = 0; i < y.size(); ++i) mean += y[i] - y_hat[i];
  mean /= n;
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    double d = (y[i] - y_hat[i]) - mean;
    sum += d * d;
  }
  return std::sqrt(sum / n);
}

ConfusionMatrix BinaryConfusionMatrix(std::span<const double> labels, std::span<const double> probabilities,
                                      double threshold) {
  ConfusionMatrix m;
  for (size_t i = 0; i < labels.size(); ++i) {
    bool actual = IsPositive(labels[i]);
    bool predicted = probabilities[i] > threshold;
    if (actual) {
      ++(predicted ? m.tp : m.fn);
    } else {
      ++(predicted ? m.fp : m.tn);
    }
  }
  return m;
}

double Accuracy(const ConfusionMatrix& m) {
  int64_t n = m.tn + m.fp + m.fn + m.tp;
  return n == 0 ? kNaN : static_cast<double>(m.tp + m.tn) / static_cast<double>(n);
}

double Precision(const ConfusionMatrix& m) {
  return Ratio(static_cast<double>(m.tp), static_cast<double>(m.tp + m.fp));
}

double Recall(const ConfusionMatrix& m) { return Ratio(static_cast<double>(m.tp), static_cast<double>(m.tp + m.fn)); }

double F1Score(const ConfusionMatrix& m) {
  return Ratio(2.0 * static_cast<double>(m.tp), static_cast<double>(2 * m.tp + m.fp + m.fn));
}

double RocAuc(std::span<const double> labels, std::span<const double> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positives = 0;
  double positive_rank_sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // Ranks i+1..j.
    for (size_t k = i; k < j; ++k) {
      if (IsPositive(labels[order[k]])) {
        positives += 1;
        positive_rank_sum += average_rank;
      }
    }
    i = j;
  }
  double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  return (positive_rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

RocCurve ComputeRocCurve(std::span<const double> labels, std::span<const double> scores) {
  CumulativeCounts counts = CountsByThreshold(labels, scores);
  RocCurve curve;
  if (counts.tps.empty() || counts.tps.back() == 0 || counts.fps.back() == 0) return curve;
  double negatives = counts.fps.back();
  double positives = counts.tps.back();
  curve.false_positive_rates.reserve(counts.fps.size() + 1);
  curve.true_positive_rates.reserve(counts.tps.size() + 1);
  curve.false_positive_rates.push_back(0);
  curve.true_positive_rates.push_back(0);
  for (size_t i = 0; i < counts.fps.size(); ++i) {
    curve.false_positive_rates.push_back(counts.fps[i] / negatives);
    curve.true_positive_rates.push_back(counts.tps[i] / positives);
  }
  return curve;
}

PrecisionRecallCurve ComputePrecisionRecallCurve(std::span<const double> labels, std::span<const double> scores) {
  CumulativeCounts counts = CountsByThreshold(labels, scores);
  PrecisionRecallCurve curve;
  if (counts.tps.empty()) return curve;
  double positives = counts.tps.back();
  for (size_t i = counts.tps.size(); i-- > 0;) {
    curve.precisions.push_back(Ratio(counts.tps[i], counts.tps[i] + counts.fps[i]));
    curve.recalls.push_back(positives == 0 ? 1.0 : counts.tps[i] / positives);
  }
  curve.precisions.push_back(1.0);
  curve.recalls.push_back(0.0);
  return curve;
}

void CapCurve(std::vector<double>* x, std::vector<double>* y, size_t max_points) {
  size_t n = x->size();
  if (n <= max_points || max_points < 2) return;
  // Index i * (n - 1) / (m - 1), rounded: the steps exceed 1, so indices are distinct.
  for (size_t i = 0; i < max_points; ++i) {
    size_t index = (i * (n - 1) + (max_points - 1) / 2) / (max_points - 1);
    (*x)[i] = (*x)[index];
    (*y)[i] = (*y)[index];
  }
  x->resize(max_points);
  y->resize(max_points);
}

}  // namespace grove::ml
