#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "serving/predictions.h"

namespace grove::serving {

// Latency buckets: four per doubling from 1 µs; the last one is open.
inline constexpr size_t kLatencyBuckets = 100;
// Buckets of |shadow - production| per value compared: <= 0, 1e-6, 1e-5, ... 100, more.
inline constexpr size_t kDifferenceBuckets = 11;
// The upper bound of difference bucket `i` (infinity for the last).
double DifferenceBucketBound(size_t i);

// One shadow answer beside production's, as `endpoint show` lists the latest.
struct ShadowSample {
  TimeMs at = 0;
  size_t rows = 0;
  float production = 0;  // The first value of each answer.
  float shadow = 0;
  bool agreed = false;  // Every row agreed.
};

// A point-in-time copy of a variant's counters. Counters only grow, so the
// difference of two copies (Minus) describes the traffic between them: a
// rollout's alarms look at the window since its step began.
struct VariantCounters {
  uint64_t requests = 0;
  uint64_t errors = 0;  // Invocations routed here that failed: bad rows, or a model that does not load.
  std::array<uint64_t, kLatencyBuckets> latency{};
  // Of each answered row's first value: count, sum and sum of squares (drift).
  uint64_t values = 0;
  double value_sum = 0;
  double value_squares = 0;
  // Shadows: rows compared with production's answers, those that agreed (the
  // same label for classifiers; for regression within 1% of production's
  // value, or 0.01 below 1), the copies dropped because the shadow queue was
  // full, and |shadow - production| of every value compared.
  uint64_t compared = 0;
  uint64_t agreed = 0;
  uint64_t dropped = 0;
  std::array<uint64_t, kDifferenceBuckets> differences{};
  double difference_sum = 0;
  double difference_max = 0;

  VariantCounters Minus(const VariantCounters& earlier) const;
  double ErrorRate() const { return requests == 0 ? 0 : static_cast<double>(errors) / requests; }
  // The latency below which `q` of the requests answered (a bucket's upper
  // bound, so at most 19% high); 0 without requests.
  double LatencyQuantileSeconds(double q) const;
  double ValueMean() const { return values == 0 ? 0 : value_sum / values; }
  double ValueStddev() const;
  double AgreementRate() const { return compared == 0 ? 0 : static_cast<double>(agreed) / compared; }
};

// The live counters of one variant: updated by request threads without locks
// (relaxed atomics), read as VariantCounters. Shadow comparisons come from the
// one shadow worker and keep the latest samples.
class VariantMetrics {
 public:
  static constexpr size_t kKeptSamples = 20;

  void RecordRequest(double seconds, const Predictions* answer);  // answer null: the invocation failed.
  void RecordShadow(const Predictions& production, const Predictions& shadow, bool classifier, TimeMs at);
  void RecordDropped() { dropped_.fetch_add(1, std::memory_order_relaxed); }

  VariantCounters Counters() const;
  std::vector<ShadowSample> Samples() const;

 private:
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> errors_{0};
  std::array<std::atomic<uint64_t>, kLatencyBuckets> latency_{};
  std::atomic<uint64_t> values_{0};
  std::atomic<double> value_sum_{0};
  std::atomic<double> value_squares_{0};
  std::atomic<uint64_t> dropped_{0};

  mutable std::mutex shadow_mutex_;  // Guards the shadow state below.
  uint64_t compared_ = 0;
  uint64_t agreed_ = 0;
  std::array<uint64_t, kDifferenceBuckets> differences_{};
  double difference_sum_ = 0;
  double difference_max_ = 0;
  std::deque<ShadowSample> samples_;
};

}  // namespace grove::serving
