#include "serving/variant_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace grove::serving {

namespace {

size_t LatencyBucket(double seconds) {
  double micros = seconds * 1e6;
  if (!(micros > 1)) return 0;
  size_t bucket = static_cast<size_t>(std::ceil(4 * std::log2(micros)));
  return std::min(bucket, kLatencyBuckets - 1);
}

double LatencyBucketBound(size_t i) { return std::exp2(i / 4.0) * 1e-6; }

size_t DifferenceBucket(double difference) {
  for (size_t i = 0; i + 1 < kDifferenceBuckets; ++i) {
    if (difference <= DifferenceBucketBound(i)) return i;
  }
  return kDifferenceBuckets - 1;
}

// The class a row's values say: argmax of probabilities, P >= 0.5 for one value, or the label itself.
double ClassOf(const Predictions& p, size_t row) {
  const double* values = p.values.data() + row * p.per_row;
  if (p.per_row > 1) return static_cast<double>(std::max_element(values, values + p.per_row) - values);
  if (p.labels) return values[0];
  return values[0] >= 0.5 ? 1 : 0;
}

void AddRelaxed(std::atomic<double>& target, double value) { target.fetch_add(value, std::memory_order_relaxed); }

}  // namespace

double DifferenceBucketBound(size_t i) {
  if (i == 0) return 0;
  if (i + 1 >= kDifferenceBuckets) return std::numeric_limits<double>::infinity();
  return std::pow(10.0, static_cast<double>(i) - 7);  // 1e-6 ... 1e3
}

VariantCounters VariantCounters::Minus(const VariantCounters& earlier) const {
  VariantCounters d = *this;
  d.requests -= earlier.requests;
  d.errors -= earlier.errors;
  for (size_t i = 0; i < kLatencyBuckets; ++i) d.latency[i] -= earlier.latency[i];
  d.values -= earlier.values;
  d.value_sum -= earlier.value_sum;
  d.value_squares -= earlier.value_squares;
  d.compared -= earlier.compared;
  d.agreed -= earlier.agreed;
  d.dropped -= earlier.dropped;
  for (size_t i = 0; i < kDifferenceBuckets; ++i) d.differences[i] -= earlier.differences[i];
  d.difference_sum -= earlier.difference_sum;
  return d;  // difference_max stays the maximum so far.
}

double VariantCounters::LatencyQuantileSeconds(double q) const {
  uint64_t total = 0;
  for (uint64_t n : latency) total += n;
  if (total == 0) return 0;
  const double wanted = q * static_cast<double>(total);
  uint64_t seen = 0;
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    seen += latency[i];
    if (static_cast<double>(seen) >= wanted) return LatencyBucketBound(i);
  }
  return LatencyBucketBound(kLatencyBuckets - 1);
}

double VariantCounters::ValueStddev() const {
  if (values < 2) return 0;
  double mean = ValueMean();
  return std::sqrt(std::max(0.0, value_squares / values - mean * mean));
}

void VariantMetrics::RecordRequest(double seconds, const Predictions* answer) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  latency_[LatencyBucket(seconds)].fetch_add(1, std::memory_order_relaxed);
  if (answer == nullptr) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  double sum = 0, squares = 0;
  for (size_t row = 0; row < answer->rows; ++row) {
    double v = answer->values[row * answer->per_row];
    sum += v;
    squares += v * v;
  }
  values_.fetch_add(answer->rows, std::memory_order_relaxed);
  AddRelaxed(value_sum_, sum);
  AddRelaxed(value_squares_, squares);
}

void VariantMetrics::RecordShadow(const Predictions& production, const Predictions& shadow, bool classifier,
                                  TimeMs at) {
  const size_t rows = std::min(production.rows, shadow.rows);
  const size_t per_row = std::min(production.per_row, shadow.per_row);
  std::lock_guard<std::mutex> lock(shadow_mutex_);
  bool all_agreed = rows == production.rows && rows == shadow.rows;
  for (size_t row = 0; row < rows; ++row) {
    bool agreed;
    if (classifier) {
      agreed = ClassOf(production, row) == ClassOf(shadow, row);
    } else {
      double p = production.values[row * production.per_row], s = shadow.values[row * shadow.per_row];
      agreed = std::abs(s - p) <= 0.01 * std::max(1.0, std::abs(p));
    }
    for (size_t k = 0; k < per_row; ++k) {
      double d = std::abs(shadow.values[row * shadow.per_row + k] - production.values[row * production.per_row + k]);
      if (std::isnan(d)) d = std::numeric_limits<double>::infinity();
      ++differences_[DifferenceBucket(d)];
      if (std::isfinite(d)) difference_sum_ += d;
      difference_max_ = std::max(difference_max_, d);
    }
    ++compared_;
    if (agreed) ++agreed_;
    all_agreed = all_agreed && agreed;
  }
  if (rows == 0) return;
  samples_.push_back({at, rows, static_cast<float>(production.values[0]), static_cast<float>(shadow.values[0]),
                      all_agreed});
  if (samples_.size() > kKeptSamples) samples_.pop_front();
}

VariantCounters VariantMetrics::Counters() const {
  VariantCounters c;
  c.requests = requests_.load(std::memory_order_relaxed);
  c.errors = errors_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < kLatencyBuckets; ++i) c.latency[i] = latency_[i].load(std::memory_order_relaxed);
  c.values = values_.load(std::memory_order_relaxed);
  c.value_sum = value_sum_.load(std::memory_order_relaxed);
  c.value_squares = value_squares_.load(std::memory_order_relaxed);
  c.dropped = dropped_.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(shadow_mutex_);
  c.compared = compared_;
  c.agreed = agreed_;
  c.differences = differences_;
  c.difference_sum = difference_sum_;
  c.difference_max = difference_max_;
  return c;
}

std::vector<ShadowSample> VariantMetrics::Samples() const {
  std::lock_guard<std::mutex> lock(shadow_mutex_);
  return {samples_.begin(), samples_.end()};
}

}  // namespace grove::serving
