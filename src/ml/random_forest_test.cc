#include "ml/random_forest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

Dataset Synthetic(int rows = 400) {
  return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(rows, 6, 3), "m").value());
}

std::unique_ptr<Model> FittedForest(const Json& hp, const Dataset& d) {
  auto m = ModelRegistry::BuiltIn().Create("random_forest", hp, TaskKind::kBinaryClassification);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  Status s = (*m)->Fit(d);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(m).value();
}

TreeOptions OneFeature() {
  TreeOptions options;
  options.max_features = 1;
  return options;
}

const std::vector<DecisionTree>& Trees(const std::unique_ptr<Model>& m) {
  return static_cast<const RandomForest&>(*m).trees();
}

TEST(DecisionTreeTest, SplitsAtTheMidpointAndPredictsLeafFractions) {
  // Labels change between x = 2 and x = 3: one split at 2.5 makes two pure leaves.
  Dataset d = Dataset::FromLabelFirstRows({{0, 1}, {0, 2}, {1, 3}, {1, 4}});
  DecisionTree tree;
  Random rng(1);
  tree.Fit(d.View(), d.labels, std::vector<double>(4, 1.0), OneFeature(), rng);
  EXPECT_EQ(tree.node_count(), 3u);
  Json saved = tree.Save();
  EXPECT_EQ(saved["threshold"][0], 2.5);
  double low[] = {2.4}, high[] = {2.6};
  EXPECT_EQ(tree.Predict(low), 0.0);
  EXPECT_EQ(tree.Predict(high), 1.0);
}

TEST(DecisionTreeTest, WeightsSetLeafFractions) {
  // No split possible (one value): the root's class-1 fraction is weighted, 3 / (1 + 3).
  Dataset d = Dataset::FromLabelFirstRows({{0, 1}, {1, 1}});
  DecisionTree tree;
  Random rng(1);
  tree.Fit(d.View(), d.labels, {1.0, 3.0}, OneFeature(), rng);
  double x[] = {1};
  EXPECT_DOUBLE_EQ(tree.Predict(x), 0.75);
}

TEST(RandomForestTest, MinSamplesLeafIsHonoured) {
  Dataset d = Synthetic();
  for (int leaf : {1, 7, 25}) {
    auto m = FittedForest({{"n_estimators", 10}, {"min_samples_leaf", leaf}}, d);
    for (const DecisionTree& t : Trees(m)) EXPECT_GE(t.smallest_leaf_rows(), static_cast<size_t>(leaf));
  }
  // Without the limit some leaf is smaller than 7 rows.
  auto loose = FittedForest({{"n_estimators", 3}}, d);
  EXPECT_LT(Trees(loose)[0].smallest_leaf_rows(), 7u);
}

TEST(RandomForestTest, MaxDepthAndMinSamplesSplitAreHonoured) {
  Dataset d = Synthetic();
  auto shallow = FittedForest({{"n_estimators", 5}, {"max_depth", 3}}, d);
  for (const DecisionTree& t : Trees(shallow)) EXPECT_LE(t.depth(), 3);
  auto deep = FittedForest({{"n_estimators", 5}, {"max_depth", nullptr}}, d);
  EXPECT_GT(Trees(deep)[0].depth(), 3);
  auto coarse = FittedForest({{"n_estimators", 5}, {"min_samples_split", 100}}, d);
  for (const DecisionTree& t : Trees(coarse)) {
    EXPECT_GE(t.smallest_split_rows(), 100u);
    EXPECT_GT(t.leaf_count(), 1u);
  }
  auto fine = FittedForest({{"n_estimators", 1}}, d);
  EXPECT_LT(Trees(fine)[0].smallest_split_rows(), 100u);
}

TEST(RandomForestTest, EstimatorsAndSeedAreHonoured) {
  Dataset d = Synthetic();
  auto a = FittedForest({{"n_estimators", 12}, {"random_state", 5}}, d);
  auto b = FittedForest({{"n_estimators", 12}, {"random_state", 5}}, d);
  auto c = FittedForest({{"n_estimators", 12}, {"random_state", 6}}, d);
  EXPECT_EQ(Trees(a).size(), 12u);
  EXPECT_EQ(a->Save().value(), b->Save().value());
  EXPECT_NE(a->Save().value(), c->Save().value());
}

TEST(RandomForestTest, BootstrapAndMaxFeaturesAreHonoured) {
  Dataset d = Synthetic();
  double positives = 0;
  for (double y : d.labels) positives += y;
  // Without bootstrap every root holds all rows; with all features every root takes the best split.
  auto all = FittedForest({{"n_estimators", 4}, {"bootstrap", false}, {"max_features", "all"}}, d);
  for (const DecisionTree& t : Trees(all)) {
    Json tree = t.Save();
    EXPECT_DOUBLE_EQ(tree["value"][0].get<double>(), positives / d.rows);
    EXPECT_EQ(tree["feature"][0], Trees(all)[0].Save()["feature"][0]);
    EXPECT_EQ(tree["threshold"][0], Trees(all)[0].Save()["threshold"][0]);
  }
  // Bootstrap draws change the root's class fraction; log2 (2 of 6 features) changes the root split.
  auto sampled = FittedForest({{"n_estimators", 4}, {"max_features", "log2"}}, d);
  std::set<double> root_values;
  std::set<std::pair<int, double>> root_splits;
  for (const DecisionTree& t : Trees(sampled)) {
    Json tree = t.Save();
    root_values.insert(tree["value"][0].get<double>());
    root_splits.insert({tree["feature"][0].get<int>(), tree["threshold"][0].get<double>()});
  }
  EXPECT_GT(root_values.size(), 1u);
  EXPECT_GT(root_splits.size(), 1u);
}

TEST(RandomForestTest, CriterionAndClassWeightChangeTheModel) {
  // 90 / 10 imbalance: balanced weights raise the minority's probability.
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({i < 10 ? 1.0 : 0.0, static_cast<double>(i % 7), i % 3 * 1.0});
  Dataset d = Dataset::FromLabelFirstRows(rows);
  Json hp = {{"n_estimators", 20}, {"max_depth", 2}};
  auto plain = FittedForest(hp, d);
  Json balanced_hp = hp;
  balanced_hp["class_weight"] = "balanced";
  auto balanced = FittedForest(balanced_hp, d);
  double plain_mean = 0, balanced_mean = 0;
  for (double p : plain->PredictProba(d.View()).value()) plain_mean += p / 100;
  for (double p : balanced->PredictProba(d.View()).value()) balanced_mean += p / 100;
  EXPECT_GT(balanced_mean, plain_mean + 0.2);
  Json entropy_hp = hp;
  entropy_hp["criterion"] = "entropy";
  EXPECT_NE(FittedForest(entropy_hp, Synthetic())->Save().value(), FittedForest(hp, Synthetic())->Save().value());
}

TEST(RandomForestTest, LearnsAndRoundTrips) {
  Dataset d = Synthetic(600);
  auto m = FittedForest({{"n_estimators", 30}}, d);
  std::vector<double> p = m->PredictProba(d.View()).value();
  auto loaded = ModelRegistry::BuiltIn().Load(m->Save().value());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->PredictProba(d.View()).value(), p);
}

TEST(RandomForestTest, HyperparameterErrors) {
  auto m = ModelRegistry::BuiltIn().Create(
      "random_forest", {{"max_features", "half"}, {"min_samples_split", 1}, {"criterion", "mse"}},
      TaskKind::kBinaryClassification);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("random_forest.max_features: expected one of sqrt, log2, all, none"));
  EXPECT_THAT(m.status().message(), HasSubstr("random_forest.min_samples_split: expected an integer >= 2, got 1"));
  EXPECT_THAT(m.status().message(), HasSubstr("random_forest.criterion: expected one of gini, entropy"));
}

}  // namespace
}  // namespace grove::ml
