#include "ml/mlp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/scorer.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

Dataset MlpData() { return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(400, 4, 11), "m").value()); }

std::unique_ptr<Model> Fitted(const Json& hp, const Dataset& d) {
  auto m = ModelRegistry::BuiltIn().Create("mlp", hp, TaskKind::kBinaryClassification);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  Status s = (*m)->Fit(d);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(m).value();
}

const Mlp& AsMlp(const std::unique_ptr<Model>& m) { return static_cast<const Mlp&>(*m); }

TEST(MlpTest, LearnsXor) {
  // Not linearly separable: needs the hidden layer.
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < 200; ++i) {
    double a = i % 2, b = (i / 2) % 2;
    rows.push_back({a != b ? 1.0 : 0.0, a, b});
  }
  Dataset d = Dataset::FromLabelFirstRows(rows);
  auto m = Fitted({{"hidden_layer_sizes", "8"}, {"activation", "relu"}, {"learning_rate_init", 0.05},
                   {"max_iter", 300}, {"random_state", 1}},
                  d);
  EXPECT_EQ(m->Predict(d.View()).value(), d.labels);
}

TEST(MlpTest, LossFallsAndMaxIterIsHonoured) {
  Dataset d = MlpData();
  auto m = Fitted({{"max_iter", 15}, {"tol", 0}}, d);
  ASSERT_EQ(AsMlp(m).epochs(), 15);
  EXPECT_LT(AsMlp(m).loss_curve().back(), AsMlp(m).loss_curve().front());
  EXPECT_GT(Scorer::ByName("roc_auc")->Score(*m, d).value(), 0.85);
}

TEST(MlpTest, StopsEarlyWhenLossStopsImproving) {
  // With a huge tol only the first epoch (best loss so far: infinity) improves; as in
  // scikit-learn, training stops once more than n_iter_no_change epochs in a row did not:
  // after 1 + (4 + 1) epochs.
  auto m = Fitted({{"max_iter", 500}, {"tol", 10}, {"n_iter_no_change", 4}}, MlpData());
  EXPECT_EQ(AsMlp(m).epochs(), 6);
}

TEST(MlpTest, SeededAndLayeredAsAsked) {
  Dataset d = MlpData();
  Json hp = {{"hidden_layer_sizes", "6,5"}, {"activation", "logistic"}, {"max_iter", 20}, {"random_state", 3}};
  auto a = Fitted(hp, d);
  auto b = Fitted(hp, d);
  EXPECT_EQ(a->Save().value(), b->Save().value());
  hp["random_state"] = 4;
  EXPECT_NE(a->Save().value(), Fitted(hp, d)->Save().value());
  Json state = Json::parse(a->Save().value())["state"];
  ASSERT_EQ(state["layers"].size(), 3u);
  EXPECT_EQ(state["layers"][0]["fan_out"], 6);
  EXPECT_EQ(state["layers"][1]["fan_out"], 5);
  EXPECT_EQ(state["layers"][2]["fan_out"], 1);
}

TEST(MlpTest, AlphaShrinksWeights) {
  Dataset d = MlpData();
  auto norm = [](const std::unique_ptr<Model>& m) {
    double sum = 0;
    Json doc = Json::parse(m->Save().value());
    for (const Json& layer : doc["state"]["layers"]) {
      for (const Json& w : layer["weights"]) sum += w.get<double>() * w.get<double>();
    }
    return sum;
  };
  Json hp = {{"max_iter", 50}, {"hidden_layer_sizes", "10"}, {"learning_rate_init", 0.01}};
  hp["alpha"] = 1e-5;
  auto loose = Fitted(hp, d);
  hp["alpha"] = 10;
  auto tight = Fitted(hp, d);
  EXPECT_LT(norm(tight), norm(loose) / 2);
}

TEST(MlpTest, RoundTripsAndValidates) {
  Dataset d = MlpData();
  auto m = Fitted({{"max_iter", 5}, {"activation", "tanh"}}, d);
  auto loaded = ModelRegistry::BuiltIn().Load(m->Save().value());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->PredictProba(d.View()).value(), m->PredictProba(d.View()).value());
  auto bad = ModelRegistry::BuiltIn().Create("mlp", {{"activation", "softmax"}, {"hidden_layer_sizes", "0"}},
                                             TaskKind::kBinaryClassification);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("mlp.activation: expected one of relu, logistic, tanh"));
  EXPECT_THAT(bad.status().message(), HasSubstr("mlp.hidden_layer_sizes: expected positive integers"));
}

}  // namespace
}  // namespace grove::ml
