#include "ml/linear_regression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ml/cross_validation.h"
#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Model> Fitted(const char* family, const Json& hp, const Dataset& d) {
  auto m = ModelRegistry::BuiltIn().Create(family, hp, TaskKind::kRegression);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  Status s = (*m)->Fit(d);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(m).value();
}

const LinearRegression& Lin(const std::unique_ptr<Model>& m) { return static_cast<const LinearRegression&>(*m); }

TEST(LinearRegressionTest, RecoversAnExactPlane) {
  // y = 1 + 2 x0 - 3 x1.
  std::vector<std::vector<double>> rows;
  for (double a : {0.0, 1.0, 2.0, 5.0}) {
    for (double b : {-1.0, 0.5, 3.0}) rows.push_back({1 + 2 * a - 3 * b, a, b});
  }
  auto m = Fitted("linear_regression", Json::object(), Dataset::FromLabelFirstRows(rows));
  EXPECT_NEAR(Lin(m).intercept(), 1, 1e-10);
  EXPECT_NEAR(Lin(m).coefficients()[0], 2, 1e-10);
  EXPECT_NEAR(Lin(m).coefficients()[1], -3, 1e-10);
  Dataset probe = Dataset::FromLabelFirstRows({{0, 10, 10}});
  EXPECT_NEAR(m->Predict(probe.View()).value()[0], 1 + 20 - 30, 1e-9);
}

TEST(LinearRegressionTest, RidgeMatchesTheClosedFormInOneDimension) {
  // Centred x = -1, 0, 1 and y = -2, 0, 2.5 (mean 1/6 removed below): w = Sxy / (Sxx + alpha).
  Dataset d = Dataset::FromLabelFirstRows({{-2, 1}, {0, 2}, {2.5, 3}});
  double y_mean = 0.5 / 3;
  double sxy = -1 * (-2 - y_mean) + 1 * (2.5 - y_mean);
  auto m = Fitted("ridge", {{"alpha", 2}}, d);
  EXPECT_NEAR(Lin(m).coefficients()[0], sxy / (2 + 2), 1e-12);
  EXPECT_NEAR(Lin(m).intercept(), y_mean - 2 * sxy / 4, 1e-12);
  auto ols = Fitted("ridge", {{"alpha", 0}}, d);
  EXPECT_NEAR(Lin(ols).coefficients()[0], sxy / 2, 1e-12);
}

TEST(LinearRegressionTest, CollinearColumnsGiveTheMinimumNormSolution) {
  // x1 = x0: lstsq splits the slope 2 evenly.
  Dataset d = Dataset::FromLabelFirstRows({{2, 1, 1}, {4, 2, 2}, {6, 3, 3}});
  auto m = Fitted("linear_regression", {{"fit_intercept", false}}, d);
  EXPECT_NEAR(Lin(m).coefficients()[0], 1, 1e-10);
  EXPECT_NEAR(Lin(m).coefficients()[1], 1, 1e-10);
  EXPECT_EQ(Lin(m).intercept(), 0);
}

TEST(LinearRegressionTest, CrossValidatesOnSyntheticDataAndHasNoProbabilities) {
  Dataset d = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::RegressionCsv(300, 6, 2, 0.1), "m").value());
  Result<CrossValidationResult> cv = CrossValidate("ridge", {{"alpha", 0.1}}, d, Scorer::ByName("r2").value(), 5, 0);
  ASSERT_TRUE(cv.ok()) << cv.status().ToString();
  EXPECT_GT(cv->mean, 0.7);  // The quadratic and sine terms are out of a linear model's reach.
  auto m = Fitted("linear_regression", Json::object(), d);
  EXPECT_EQ(m->PredictProba(d.View()).status().code(), StatusCode::kFailedPrecondition);
  auto loaded = ModelRegistry::BuiltIn().Load(m->Save().value());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->Predict(d.View()).value(), m->Predict(d.View()).value());
}

TEST(LinearRegressionTest, OrdinaryLeastSquaresTakesNoAlpha) {
  auto m = ModelRegistry::BuiltIn().Create("linear_regression", {{"alpha", 1}}, TaskKind::kRegression);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("linear_regression: unknown hyperparameter \"alpha\""));
  auto classification = ModelRegistry::BuiltIn().Create("ridge", Json::object(), TaskKind::kBinaryClassification);
  EXPECT_THAT(classification.status().message(), HasSubstr("cannot learn binary_classification"));
}

}  // namespace
}  // namespace grove::ml
