#include "ml/gaussian_nb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ml/model_registry.h"

namespace grove::ml {
namespace {

// Class 0: x = 0, 2 (mean 1, variance 1); class 1: x = 4, 6, 8 (mean 6, variance 8/3).
// All rows: mean 4, variance 8. Priors 2/5 and 3/5.
Dataset Small() { return Dataset::FromLabelFirstRows({{0, 0}, {0, 2}, {1, 4}, {1, 6}, {1, 8}}); }

std::unique_ptr<Model> Fitted(double var_smoothing) {
  auto m = ModelRegistry::BuiltIn().Create("gaussian_nb", {{"var_smoothing", var_smoothing}},
                                           TaskKind::kBinaryClassification);
  EXPECT_TRUE(m.ok());
  EXPECT_TRUE((*m)->Fit(Small()).ok());
  return std::move(m).value();
}

double LogNormal(double x, double mean, double var) {
  return -0.5 * std::log(2 * std::numbers::pi * var) - 0.5 * (x - mean) * (x - mean) / var;
}

// P(1 | x) by Bayes' rule with the given class variances.
double HandProbability(double x, double var0, double var1) {
  double j0 = std::log(0.4) + LogNormal(x, 1, var0);
  double j1 = std::log(0.6) + LogNormal(x, 6, var1);
  return std::exp(j1) / (std::exp(j0) + std::exp(j1));
}

TEST(GaussianNbTest, MatchesBayesRuleByHand) {
  auto m = Fitted(0.0);
  const auto& nb = static_cast<const GaussianNb&>(*m);
  EXPECT_DOUBLE_EQ(nb.priors()[0], 0.4);
  EXPECT_DOUBLE_EQ(nb.means(1)[0], 6.0);
  EXPECT_DOUBLE_EQ(nb.variances(0)[0], 1.0);
  EXPECT_NEAR(nb.variances(1)[0], 8.0 / 3, 1e-12);
  Dataset probe = Dataset::FromLabelFirstRows({{0, 3}, {0, 3.5}, {0, -1}});
  std::vector<double> p = m->PredictProba(probe.View()).value();
  EXPECT_NEAR(p[0], HandProbability(3, 1, 8.0 / 3), 1e-12);
  EXPECT_NEAR(p[1], HandProbability(3.5, 1, 8.0 / 3), 1e-12);
  EXPECT_NEAR(p[2], HandProbability(-1, 1, 8.0 / 3), 1e-12);
}

TEST(GaussianNbTest, VarSmoothingIsHonoured) {
  // epsilon = 0.5 * 8 (the largest feature variance) is added to both class variances.
  auto m = Fitted(0.5);
  const auto& nb = static_cast<const GaussianNb&>(*m);
  EXPECT_DOUBLE_EQ(nb.epsilon(), 4.0);
  EXPECT_DOUBLE_EQ(nb.variances(0)[0], 5.0);
  Dataset probe = Dataset::FromLabelFirstRows({{0, 3}});
  double p = m->PredictProba(probe.View()).value()[0];
  EXPECT_NEAR(p, HandProbability(3, 5, 8.0 / 3 + 4), 1e-12);
  EXPECT_GT(std::fabs(p - Fitted(0.0)->PredictProba(probe.View()).value()[0]), 0.05);
}

TEST(GaussianNbTest, ConstantFeatureNeedsSmoothing) {
  Dataset d = Dataset::FromLabelFirstRows({{0, 1, 5}, {0, 2, 5}, {1, 3, 5}, {1, 4, 5}});
  auto m = ModelRegistry::BuiltIn().Create("gaussian_nb", {{"var_smoothing", 0}}, TaskKind::kBinaryClassification);
  EXPECT_EQ((*m)->Fit(d).code(), StatusCode::kInvalidArgument);
  auto smoothed = ModelRegistry::BuiltIn().Create("gaussian_nb", Json::object(), TaskKind::kBinaryClassification);
  EXPECT_TRUE((*smoothed)->Fit(d).ok());
}

}  // namespace
}  // namespace grove::ml
