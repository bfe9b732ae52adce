#include "ml/hyperparameter_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

TEST(HyperparameterReaderTest, ReadsNumbersStringsAndFallbacks) {
  Json hp = {{"n", "50"}, {"x", 0.5}, {"b", "true"}, {"c", "entropy"}};
  HyperparameterReader r("fam", hp);
  EXPECT_EQ(r.Integer("n", 1, {.lo = 1}), 50);
  EXPECT_EQ(r.Number("x", 0, {.lo = 0, .hi = 1}), 0.5);
  EXPECT_TRUE(r.Bool("b", false));
  EXPECT_EQ(r.Choice("c", "gini", {"gini", "entropy"}), "entropy");
  EXPECT_EQ(r.Integer("absent", 7), 7);
  EXPECT_TRUE(r.Finish().ok());
}

TEST(HyperparameterReaderTest, NoneSpellings) {
  Json hp = {{"a", nullptr}, {"b", "None"}, {"c", "none"}, {"d", 5}};
  HyperparameterReader r("fam", hp);
  EXPECT_EQ(r.Choice("a", "balanced", {"balanced", "none"}), "none");
  EXPECT_EQ(r.Choice("b", "balanced", {"balanced", "none"}), "none");
  EXPECT_EQ(r.OptionalInteger("c", 3, {.lo = 1}), std::nullopt);
  EXPECT_EQ(r.OptionalInteger("d", std::nullopt, {.lo = 1}), 5);
  EXPECT_TRUE(r.Finish().ok());
}

TEST(HyperparameterReaderTest, IntegerLists) {
  Json hp = {{"a", "50,50"}, {"b", 100}, {"c", "(30, 20)"}, {"d", Json::array({8, 4})}, {"e", "(50,)"}};
  HyperparameterReader r("mlp", hp);
  EXPECT_EQ(r.PositiveIntegerList("a", {}), (std::vector<int64_t>{50, 50}));
  EXPECT_EQ(r.PositiveIntegerList("b", {}), (std::vector<int64_t>{100}));
  EXPECT_EQ(r.PositiveIntegerList("c", {}), (std::vector<int64_t>{30, 20}));
  EXPECT_EQ(r.PositiveIntegerList("d", {}), (std::vector<int64_t>{8, 4}));
  EXPECT_EQ(r.PositiveIntegerList("e", {}), (std::vector<int64_t>{50}));
  EXPECT_TRUE(r.Finish().ok());
  HyperparameterReader bad("mlp", Json{{"h", "50,,50"}});
  bad.PositiveIntegerList("h", {100});
  EXPECT_THAT(bad.Finish().message(), HasSubstr("mlp.h: expected positive integers"));
}

TEST(HyperparameterReaderTest, ReportsEveryProblemWithNameAndValidValues) {
  Json hp = {{"max_features", "half"}, {"n_estimators", 0}, {"n_estimator", 5}, {"bootstrap", "maybe"}};
  HyperparameterReader r("random_forest", hp);
  r.Choice("max_features", "sqrt", {"sqrt", "log2", "all", "none"});
  r.Integer("n_estimators", 100, {.lo = 1});
  r.Bool("bootstrap", true);
  Status s = r.Finish();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("random_forest.max_features: expected one of sqrt, log2, all, none, got \"half\""));
  EXPECT_THAT(s.message(), HasSubstr("random_forest.n_estimators: expected an integer >= 1, got 0"));
  EXPECT_THAT(s.message(), HasSubstr("random_forest.bootstrap: expected true or false, got \"maybe\""));
  EXPECT_THAT(s.message(), HasSubstr("unknown hyperparameter \"n_estimator\" (did you mean n_estimators?)"));
  EXPECT_THAT(s.message(), HasSubstr("valid: max_features, n_estimators, bootstrap"));
}

TEST(HyperparameterReaderTest, RejectsNonObjects) {
  HyperparameterReader r("fam", Json::array());
  EXPECT_THAT(r.Finish().message(), HasSubstr("hyperparameters must be a JSON object"));
}

}  // namespace
}  // namespace grove::ml
