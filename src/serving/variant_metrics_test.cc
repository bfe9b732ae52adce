#include "serving/variant_metrics.h"

#include <gtest/gtest.h>

namespace grove::serving {
namespace {

Predictions Values(std::vector<double> values, size_t per_row = 1, bool labels = false) {
  Predictions p;
  p.per_row = per_row;
  p.rows = values.size() / per_row;
  p.values = std::move(values);
  p.labels = labels;
  return p;
}

TEST(VariantMetricsTest, CountsLatencyQuantilesAndWindows) {
  VariantMetrics metrics;
  Predictions answer = Values({1.0, 3.0});
  for (int i = 0; i < 98; ++i) metrics.RecordRequest(100e-6, &answer);
  metrics.RecordRequest(0.05, nullptr);
  metrics.RecordRequest(0.05, nullptr);
  VariantCounters c = metrics.Counters();
  EXPECT_EQ(c.requests, 100u);
  EXPECT_EQ(c.errors, 2u);
  EXPECT_DOUBLE_EQ(c.ErrorRate(), 0.02);
  // Buckets are a fourth of a doubling wide: a quantile is at most 19% above the truth.
  EXPECT_GE(c.LatencyQuantileSeconds(0.5), 100e-6);
  EXPECT_LE(c.LatencyQuantileSeconds(0.5), 119e-6);
  EXPECT_GE(c.LatencyQuantileSeconds(0.99), 0.05);
  EXPECT_LE(c.LatencyQuantileSeconds(0.99), 0.0595);
  EXPECT_EQ(c.values, 196u);
  EXPECT_DOUBLE_EQ(c.ValueMean(), 2.0);
  EXPECT_DOUBLE_EQ(c.ValueStddev(), 1.0);

  VariantCounters before = c;
  for (int i = 0; i < 10; ++i) metrics.RecordRequest(0.05, nullptr);
  VariantCounters window = metrics.Counters().Minus(before);
  EXPECT_EQ(window.requests, 10u);
  EXPECT_DOUBLE_EQ(window.ErrorRate(), 1.0);
  EXPECT_GE(window.LatencyQuantileSeconds(0.5), 0.05);
  EXPECT_EQ(window.values, 0u);
}

TEST(VariantMetricsTest, ShadowAgreementByLabelForClassifiersByValueForRegression) {
  VariantMetrics metrics;
  // Binary probabilities: same side of 0.5 agrees however far apart.
  metrics.RecordShadow(Values({0.9, 0.2, 0.6}), Values({0.55, 0.45, 0.4}), true, 5);
  VariantCounters c = metrics.Counters();
  EXPECT_EQ(c.compared, 3u);
  EXPECT_EQ(c.agreed, 2u);
  EXPECT_NEAR(c.difference_sum, 0.35 + 0.25 + 0.2, 1e-12);
  EXPECT_NEAR(c.difference_max, 0.35, 1e-12);
  EXPECT_EQ(c.differences[7], 3u);  // All three in (0.1, 1].
  EXPECT_DOUBLE_EQ(DifferenceBucketBound(7), 1.0);
  // Regression: within 1% of production's value.
  metrics.RecordShadow(Values({100.0, 10.0}), Values({100.5, 10.5}), false, 6);
  c = metrics.Counters();
  EXPECT_EQ(c.compared, 5u);
  EXPECT_EQ(c.agreed, 3u);
  // Multi-class: the argmax.
  metrics.RecordShadow(Values({0.1, 0.7, 0.2}, 3), Values({0.3, 0.3, 0.4}, 3), true, 7);
  EXPECT_EQ(metrics.Counters().agreed, 3u);
  std::vector<ShadowSample> samples = metrics.Samples();
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].at, 5);
  EXPECT_FALSE(samples[0].agreed);
  EXPECT_FLOAT_EQ(samples[1].shadow, 100.5f);
}

}  // namespace
}  // namespace grove::serving
