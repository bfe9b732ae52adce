#include "ml/xgboost_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/scorer.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

Dataset Binary() { return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(400, 4, 5), "m").value()); }

std::unique_ptr<Model> Make(const char* family, const Json& hp, TaskKind task = TaskKind::kBinaryClassification) {
  auto m = ModelRegistry::BuiltIn().Create(family, hp, task);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : nullptr;
}

const XgboostModel& Xgb(const std::unique_ptr<Model>& m) { return static_cast<const XgboostModel&>(*m); }

TEST(XgboostModelTest, MapsScikitLearnNames) {
  auto m = Make("xgboost", {{"n_estimators", 20}, {"learning_rate", 0.1}, {"max_depth", 3}, {"min_child_weight", 2},
                            {"subsample", 0.8}, {"colsample_bytree", 0.6}, {"gamma", 0.5}, {"reg_alpha", 0.01},
                            {"reg_lambda", 0.1}, {"random_state", 9}});
  EXPECT_EQ(Xgb(m).rounds(), 20);
  const auto& p = Xgb(m).params();
  EXPECT_EQ(p.front(), std::make_pair(std::string("objective"), std::string("binary:logistic")));
  for (auto [name, value] : std::vector<std::pair<const char*, const char*>>{
           {"eta", "0.1"}, {"max_depth", "3"}, {"min_child_weight", "2"}, {"subsample", "0.8"},
           {"colsample_bytree", "0.6"}, {"gamma", "0.5"}, {"alpha", "0.01"}, {"lambda", "0.1"}, {"seed", "9"},
           {"nthread", "1"}, {"tree_method", "hist"}}) {
    EXPECT_THAT(p, Contains(Pair(name, value)));
  }
}

TEST(XgboostModelTest, LightgbmSpaceMapsOntoLossguide) {
  auto m = Make("lightgbm", {{"boosting", "goss"}, {"num_leaves", 40}, {"max_depth", -1}, {"min_split_gain", 0.1},
                             {"min_child_samples", 5}, {"n_estimators", 30}});
  const auto& p = Xgb(m).params();
  EXPECT_THAT(p, Contains(Pair("grow_policy", "lossguide")));
  EXPECT_THAT(p, Contains(Pair("max_leaves", "40")));
  EXPECT_THAT(p, Contains(Pair("max_depth", "0")));
  EXPECT_THAT(p, Contains(Pair("gamma", "0.1")));
  EXPECT_THAT(p, Contains(Pair("booster", "gbtree")));
  EXPECT_THAT(p, Contains(Pair("lambda", "0")));
  EXPECT_EQ(Xgb(m).notes().size(), 2u);  // min_child_samples and goss.
  Dataset d = Binary();
  ASSERT_TRUE(m->Fit(d).ok());
  EXPECT_GT(Scorer::ByName("roc_auc")->Score(*m, d).value(), 0.85);
}

TEST(XgboostModelTest, EveryBoosterTrainsPredictsAndRoundTrips) {
  Dataset d = Binary();
  for (const char* booster : {"gbtree", "gblinear", "dart"}) {
    SCOPED_TRACE(booster);
    auto m = Make("xgboost", {{"booster", booster}, {"n_estimators", 20}, {"max_depth", 3}, {"rate_drop", 0.1}});
    ASSERT_TRUE(m->Fit(d).ok());
    std::vector<double> p = m->PredictProba(d.View()).value();
    EXPECT_GT(Scorer::ByName("roc_auc")->Score(d.labels, p), 0.85);
    auto loaded = ModelRegistry::BuiltIn().Load(m->Save().value());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    std::vector<double> again = (*loaded)->PredictProba(d.View()).value();
    for (size_t i = 0; i < p.size(); ++i) ASSERT_NEAR(again[i], p[i], 1e-6);
  }
}

TEST(XgboostModelTest, GblinearNotesUnusedTreeParameters) {
  auto m = Make("xgboost", {{"booster", "gblinear"}, {"max_depth", 4}, {"subsample", 0.8}});
  EXPECT_EQ(Xgb(m).notes().size(), 2u);
  for (const auto& [name, value] : Xgb(m).params()) EXPECT_NE(name, "max_depth");
}

TEST(XgboostModelTest, SeededSubsamplingIsDeterministic) {
  Dataset d = Binary();
  Json hp = {{"n_estimators", 10}, {"subsample", 0.6}, {"colsample_bytree", 0.5}, {"random_state", 3}};
  auto a = Make("xgboost", hp);
  auto b = Make("xgboost", hp);
  ASSERT_TRUE(a->Fit(d).ok());
  ASSERT_TRUE(b->Fit(d).ok());
  EXPECT_EQ(a->PredictProba(d.View()).value(), b->PredictProba(d.View()).value());
}

TEST(XgboostModelTest, AcceptsMissingValuesAndDoesRegression) {
  Dataset d = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::RegressionCsv(300, 4, 1, 0.1), "m").value());
  d.features[5] = std::nan("");
  auto m = Make("xgboost", {{"n_estimators", 50}}, TaskKind::kRegression);
  ASSERT_TRUE(m->Fit(d).ok());
  EXPECT_GT(Scorer::ByName("r2")->Score(*m, d).value(), 0.9);
}

TEST(XgboostModelTest, HyperparameterErrors) {
  auto m = ModelRegistry::BuiltIn().Create("xgboost", {{"booster", "gbdt"}, {"learning_rate", 2}},
                                           TaskKind::kBinaryClassification);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("xgboost.booster: expected one of gbtree, gblinear, dart, got \"gbdt\""));
  EXPECT_THAT(m.status().message(), HasSubstr("xgboost.learning_rate: expected a number in (0, 1], got 2"));
  auto unlimited = ModelRegistry::BuiltIn().Create("xgboost", {{"max_depth", 0}}, TaskKind::kBinaryClassification);
  EXPECT_THAT(unlimited.status().message(), HasSubstr("xgboost.max_depth: 0 (unlimited) needs grow_policy"));
  EXPECT_TRUE(ModelRegistry::BuiltIn()
                  .Validate("xgboost", {{"max_depth", 0}, {"grow_policy", "lossguide"}, {"max_leaves", 8}},
                            TaskKind::kBinaryClassification)
                  .ok());
}

}  // namespace
}  // namespace grove::ml
