#include "ml/logistic_regression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Model> Make(const Json& hp) {
  auto m = ModelRegistry::BuiltIn().Create("logistic_regression", hp, TaskKind::kBinaryClassification);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

const LogisticRegression& Lr(const std::unique_ptr<Model>& m) { return static_cast<const LogisticRegression&>(*m); }

Dataset LogisticData() { return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(300, 3, 7), "m").value()); }

// The gradient of C * sum_i s_i * logloss_i + 0.5 * |w|^2 on standardised features, largest entry.
double StationarityGap(const Dataset& d, const LogisticRegression& lr, double c, const std::vector<double>& s) {
  std::vector<double> mean(d.cols, 0), sd(d.cols, 0);
  for (size_t r = 0; r < d.rows; ++r)
    for (size_t j = 0; j < d.cols; ++j) mean[j] += d.Row(r)[j] / d.rows;
  for (size_t r = 0; r < d.rows; ++r)
    for (size_t j = 0; j < d.cols; ++j) sd[j] += std::pow(d.Row(r)[j] - mean[j], 2) / d.rows;
  for (double& v : sd) v = std::sqrt(v);
  std::vector<double> grad(d.cols + 1, 0);
  for (size_t r = 0; r < d.rows; ++r) {
    double m = lr.intercept();
    for (size_t j = 0; j < d.cols; ++j) m += lr.coefficients()[j] * (d.Row(r)[j] - mean[j]) / sd[j];
    double residual = s[r] * (1 / (1 + std::exp(-m)) - d.labels[r]);
    for (size_t j = 0; j < d.cols; ++j) grad[j] += c * residual * (d.Row(r)[j] - mean[j]) / sd[j];
    grad[d.cols] += c * residual;
  }
  double gap = 0;
  for (size_t j = 0; j < d.cols; ++j) gap = std::max(gap, std::fabs(grad[j] + lr.coefficients()[j]));
  return std::max(gap, std::fabs(grad[d.cols]));
}

TEST(LogisticRegressionTest, UnpenalisedFitReproducesGroupFrequencies) {
  // With one binary feature the model is saturated: P(1 | x=0) = 1/4, P(1 | x=1) = 3/4.
  Dataset d = Dataset::FromLabelFirstRows(
      {{0, 0}, {0, 0}, {0, 0}, {1, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 1}});
  auto m = Make({{"penalty", "none"}, {"tol", 1e-10}});
  ASSERT_TRUE(m->Fit(d).ok());
  std::vector<double> p = m->PredictProba(d.View()).value();
  EXPECT_NEAR(p[0], 0.25, 1e-8);
  EXPECT_NEAR(p[7], 0.75, 1e-8);
  EXPECT_TRUE(Lr(m).converged());
  EXPECT_EQ(m->Predict(d.View()).value(), (std::vector<double>{0, 0, 0, 0, 1, 1, 1, 1}));
}

TEST(LogisticRegressionTest, L2SolutionIsStationary) {
  Dataset d = LogisticData();
  auto m = Make({{"C", 0.5}, {"tol", 1e-10}});
  ASSERT_TRUE(m->Fit(d).ok());
  EXPECT_LT(StationarityGap(d, Lr(m), 0.5, std::vector<double>(d.rows, 1.0)), 1e-6);
  EXPECT_LE(Lr(m).iterations(), 10);  // Newton: a handful of steps.
}

TEST(LogisticRegressionTest, BalancedClassWeightsAreUsed) {
  Dataset d = LogisticData();
  auto m = Make({{"class_weight", "balanced"}, {"tol", 1e-10}});
  ASSERT_TRUE(m->Fit(d).ok());
  std::vector<double> s = BalancedClassWeights(d.labels);
  EXPECT_LT(StationarityGap(d, Lr(m), 1.0, s), 1e-6);
  EXPECT_GT(StationarityGap(d, Lr(m), 1.0, std::vector<double>(d.rows, 1.0)), 1e-3);
}

TEST(LogisticRegressionTest, BalancedWeightsFollowScikitLearnsFormula) {
  // n / (2 * n_class): 4 rows, one positive.
  EXPECT_EQ(BalancedClassWeights({1, 0, 0, 0}), (std::vector<double>{2.0, 4.0 / 6, 4.0 / 6, 4.0 / 6}));
}

TEST(LogisticRegressionTest, SmallerCShrinksCoefficients) {
  Dataset d = LogisticData();
  auto strong = Make({{"C", 0.001}});
  auto weak = Make({{"C", 1000}});
  ASSERT_TRUE(strong->Fit(d).ok());
  ASSERT_TRUE(weak->Fit(d).ok());
  EXPECT_LT(std::fabs(Lr(strong).coefficients()[0]) * 10, std::fabs(Lr(weak).coefficients()[0]));
}

TEST(LogisticRegressionTest, MaxIterIsHonoured) {
  auto m = Make({{"max_iter", 1}, {"tol", 1e-12}});
  ASSERT_TRUE(m->Fit(LogisticData()).ok());
  EXPECT_EQ(Lr(m).iterations(), 1);
  EXPECT_FALSE(Lr(m).converged());
}

TEST(LogisticRegressionTest, SeparableDataWithoutPenaltyStopsAtMaxIter) {
  Dataset d = Dataset::FromLabelFirstRows({{0, -2}, {0, -1}, {1, 1}, {1, 2}});
  auto m = Make({{"penalty", "none"}, {"max_iter", 50}});
  ASSERT_TRUE(m->Fit(d).ok());
  std::vector<double> p = m->PredictProba(d.View()).value();
  EXPECT_LT(p[0], 1e-3);
  EXPECT_GT(p[3], 1 - 1e-3);
  EXPECT_TRUE(std::isfinite(Lr(m).coefficients()[0]));
}

TEST(LogisticRegressionTest, HyperparameterErrorsNameTheParameter) {
  auto m = ModelRegistry::BuiltIn().Create("logistic_regression", {{"penalty", "l1"}, {"C", 0}},
                                           TaskKind::kBinaryClassification);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("logistic_regression.penalty: expected one of l2, none, got \"l1\""));
  EXPECT_THAT(m.status().message(), HasSubstr("logistic_regression.C: expected a number > 0, got 0"));
}

}  // namespace
}  // namespace grove::ml
