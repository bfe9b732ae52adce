#include "ml/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace grove::ml {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Pointwise;

// y - y_hat = [-0.5, 0, 1, -1]: SS_res = 2.25; mean(y) = 2.5 so SS_tot = 5.
const std::vector<double> kY = {1, 2, 3, 4};
const std::vector<double> kYHat = {1.5, 2, 2, 5};

TEST(RegressionMetricsTest, MatchesHandComputedValues) {
  EXPECT_DOUBLE_EQ(MeanSquaredError(kY, kYHat), 0.5625);
  EXPECT_DOUBLE_EQ(RootMeanSquaredError(kY, kYHat), 0.75);
  EXPECT_DOUBLE_EQ(MeanAbsoluteError(kY, kYHat), 0.625);
  EXPECT_DOUBLE_EQ(R2Score(kY, kYHat), 0.55);
  // Residual mean -0.125; squared deviations sum to 2.1875; / 4 = 0.546875.
  EXPECT_DOUBLE_EQ(ResidualStandardDeviation(kY, kYHat), std::sqrt(0.546875));
}

TEST(RegressionMetricsTest, R2WithConstantTruthFollowsScikitLearn) {
  EXPECT_EQ(R2Score(std::vector<double>{2, 2}, std::vector<double>{2, 2}), 1.0);
  EXPECT_EQ(R2Score(std::vector<double>{2, 2}, std::vector<double>{1, 2}), 0.0);
}

TEST(RegressionMetricsTest, EmptyInputIsNaN) {
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(MeanSquaredError(none, none)));
  EXPECT_TRUE(std::isnan(ResidualStandardDeviation(none, none)));
}

// Scores of positives {0.8, 0.4, 0.5}, negatives {0.1, 0.6, 0.4}.
const std::vector<double> kLabels = {0, 0, 1, 1, 0, 1};
const std::vector<double> kScores = {0.1, 0.6, 0.8, 0.4, 0.4, 0.5};

TEST(BinaryMetricsTest, ConfusionMatrixCountsStrictlyAboveThreshold) {
  // 0.5 is not above 0.5, so row 5 (a positive) is a false negative.
  ConfusionMatrix m = BinaryConfusionMatrix(kLabels, kScores);
  EXPECT_EQ(m.tn, 2);
  EXPECT_EQ(m.fp, 1);
  EXPECT_EQ(m.fn, 2);
  EXPECT_EQ(m.tp, 1);
  EXPECT_DOUBLE_EQ(Accuracy(m), 0.5);
  EXPECT_DOUBLE_EQ(Precision(m), 0.5);
  EXPECT_DOUBLE_EQ(Recall(m), 1.0 / 3);
  EXPECT_DOUBLE_EQ(F1Score(m), 0.4);  // 2tp / (2tp + fp + fn) = 2 / 5.
}

TEST(BinaryMetricsTest, LowerThresholdPredictsMorePositives) {
  ConfusionMatrix m = BinaryConfusionMatrix(kLabels, kScores, 0.3);
  EXPECT_EQ(m.tn, 1);
  EXPECT_EQ(m.fp, 2);
  EXPECT_EQ(m.fn, 0);
  EXPECT_EQ(m.tp, 3);
  EXPECT_DOUBLE_EQ(Precision(m), 0.6);
  EXPECT_DOUBLE_EQ(Recall(m), 1.0);
}

TEST(BinaryMetricsTest, UndefinedRatiosAreZero) {
  ConfusionMatrix m = BinaryConfusionMatrix(kLabels, kScores, 0.9);  // Nothing predicted positive.
  EXPECT_EQ(Precision(m), 0.0);
  EXPECT_EQ(Recall(m), 0.0);
  EXPECT_EQ(F1Score(m), 0.0);
  EXPECT_DOUBLE_EQ(Accuracy(m), 0.5);
  EXPECT_TRUE(std::isnan(Accuracy(ConfusionMatrix{})));
}

TEST(BinaryMetricsTest, AucCountsTiesAsHalf) {
  // Pairs won by positives: 0.8 beats 3, 0.4 beats 1 and ties 1, 0.5 beats 2: 6.5 of 9.
  EXPECT_DOUBLE_EQ(RocAuc(kLabels, kScores), 6.5 / 9);
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{0, 1}, std::vector<double>{0.2, 0.9}), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{0, 1, 0, 1}, std::vector<double>{0.5, 0.5, 0.5, 0.5}), 0.5);
  EXPECT_TRUE(std::isnan(RocAuc(std::vector<double>{1, 1}, std::vector<double>{0.2, 0.9})));
}

TEST(BinaryMetricsTest, RocCurveHasOnePointPerDistinctScore) {
  // Thresholds 0.8, 0.6, 0.5, 0.4, 0.1: cumulative (fp, tp) = (0,1) (1,1) (1,2) (2,3) (3,3).
  RocCurve roc = ComputeRocCurve(kLabels, kScores);
  EXPECT_THAT(roc.false_positive_rates,
              Pointwise(DoubleNear(1e-12), std::vector<double>{0, 0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1}));
  EXPECT_THAT(roc.true_positive_rates,
              Pointwise(DoubleNear(1e-12), std::vector<double>{0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1, 1}));
  EXPECT_TRUE(ComputeRocCurve(std::vector<double>{0, 0}, std::vector<double>{0.1, 0.2}).true_positive_rates.empty());
}

TEST(BinaryMetricsTest, PrecisionRecallCurveFollowsScikitLearn) {
  // Ascending thresholds 0.1, 0.4, 0.5, 0.6, 0.8: precision 3/6, 3/5, 2/3, 1/2, 1/1; then (1, 0).
  PrecisionRecallCurve pr = ComputePrecisionRecallCurve(kLabels, kScores);
  EXPECT_THAT(pr.precisions, Pointwise(DoubleNear(1e-12), std::vector<double>{0.5, 0.6, 2.0 / 3, 0.5, 1, 1}));
  EXPECT_THAT(pr.recalls, Pointwise(DoubleNear(1e-12), std::vector<double>{1, 1, 2.0 / 3, 1.0 / 3, 1.0 / 3, 0}));
}

TEST(BinaryMetricsTest, PrecisionRecallWithoutPositivesSetsRecallToOne) {
  PrecisionRecallCurve pr = ComputePrecisionRecallCurve(std::vector<double>{0, 0}, std::vector<double>{0.3, 0.7});
  EXPECT_THAT(pr.precisions, ElementsAre(0.0, 0.0, 1.0));
  EXPECT_THAT(pr.recalls, ElementsAre(1.0, 1.0, 0.0));
}

TEST(CapCurveTest, KeepsEvenlySpacedPointsAndBothEnds) {
  std::vector<double> x(6);
  std::iota(x.begin(), x.end(), 0.0);
  std::vector<double> y = x;
  CapCurve(&x, &y, 4);  // Indices round(i * 5 / 3): 0, 2, 3, 5.
  EXPECT_THAT(x, ElementsAre(0, 2, 3, 5));
  EXPECT_THAT(y, ElementsAre(0, 2, 3, 5));
}

TEST(CapCurveTest, CapsAtTenThousandPoints) {
  std::vector<double> x(25001);
  std::iota(x.begin(), x.end(), 0.0);
  std::vector<double> y = x;
  CapCurve(&x, &y);
  ASSERT_EQ(x.size(), kMaxCurvePoints);
  EXPECT_EQ(x.front(), 0);
  EXPECT_EQ(x.back(), 25000);
  EXPECT_TRUE(std::is_sorted(x.begin(), x.end()));
  EXPECT_EQ(std::adjacent_find(x.begin(), x.end()), x.end());  // No repeated point.
  std::vector<double> small = {1, 2, 3};
  std::vector<double> small_y = small;
  CapCurve(&small, &small_y);
  EXPECT_EQ(small.size(), 3u);
}

}  // namespace
}  // namespace grove::ml
