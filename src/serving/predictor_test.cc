#include "serving/predictor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ml/test_data.h"
#include "serving/serving_test_util.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;

class PredictorTest : public ::testing::Test {
 protected:
  std::string TrainModel(const std::string& csv, Json hyper) {
    auto train = ml::testing::WriteText(dir_.path() / "train.csv", csv);
    return testing::Train(train, std::move(hyper), dir_.path() / "model.json");
  }

  TempDir dir_;
};

TEST_F(PredictorTest, TreeModelsLoadCompiledAndAgreeWithTheFallback) {
  std::string csv = ml::testing::BinaryCsv(400, 5, 3);
  std::string bytes = TrainModel(csv, {{"objective", "binary:logistic"}, {"num_round", "20"}, {"max_depth", "4"}});
  auto compiled = LoadPredictor(bytes);
  auto fallback = LoadPredictor(bytes, PredictorChoice::kLibxgboost);
  ASSERT_TRUE(compiled.ok() && fallback.ok()) << compiled.status().ToString() << fallback.status().ToString();
  EXPECT_EQ((*compiled)->implementation(), "compiled");
  EXPECT_EQ((*fallback)->implementation(), "libxgboost");
  for (const auto* p : {compiled->get(), fallback->get()}) {
    EXPECT_EQ(p->num_features(), 5u);
    EXPECT_EQ(p->num_outputs(), 1u);
    EXPECT_EQ(p->output_kind(), OutputKind::kProbability);
    EXPECT_EQ(p->objective(), "binary:logistic");
    EXPECT_GT(p->MemoryBytes(), 1000u);
  }
  ml::LabeledMatrix m = ml::ParseLabelFirstCsv(csv, "train").value();
  std::vector<float> a = (*compiled)->PredictRows(m.features, m.rows).value();
  std::vector<float> b = (*fallback)->PredictRows(m.features, m.rows).value();
  ASSERT_EQ(a.size(), m.rows);
  for (size_t r = 0; r < m.rows; ++r) EXPECT_NEAR(a[r], b[r], 1e-6) << r;
}

TEST_F(PredictorTest, MultiClassHasOneOutputPerClassInBoth) {
  std::string csv = ml::testing::RegressionCsv(300, 4, 5, 0.1);
  ml::LabeledMatrix m = ml::ParseLabelFirstCsv(csv, "x").value();
  std::string relabeled;
  for (size_t r = 0; r < m.rows; ++r) {
    relabeled += std::to_string(m.labels[r] < 9 ? 0 : m.labels[r] < 11 ? 1 : 2);
    for (size_t c = 0; c < m.cols; ++c) relabeled += "," + std::to_string(m.Row(r)[c]);
    relabeled += "\n";
  }
  std::string bytes = TrainModel(relabeled, {{"objective", "multi:softprob"}, {"num_class", "3"}, {"num_round", "5"}});
  for (auto choice : {PredictorChoice::kCompiled, PredictorChoice::kLibxgboost}) {
    auto p = LoadPredictor(bytes, choice).value();
    EXPECT_EQ(p->num_outputs(), 3u);
    EXPECT_EQ(p->output_kind(), OutputKind::kClassProbabilities);
    std::vector<float> out = p->PredictRows(std::span<const float>(m.features.data(), 2 * m.cols), 2).value();
    ASSERT_EQ(out.size(), 6u);
    EXPECT_NEAR(out[0] + out[1] + out[2], 1.0, 1e-6);
  }
}

TEST_F(PredictorTest, GblinearFallsBackToLibxgboost) {
  std::string bytes = TrainModel(ml::testing::RegressionCsv(200, 4, 1, 0.1),
                                 {{"booster", "gblinear"}, {"num_round", "5"}});
  auto p = LoadPredictor(bytes);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ((*p)->implementation(), "libxgboost");
  EXPECT_EQ((*p)->output_kind(), OutputKind::kValue);
  std::vector<float> row = {0.1f, 0.2f, 0.3f, 0.4f};
  EXPECT_TRUE((*p)->PredictRows(row, 1).ok());
  EXPECT_EQ(LoadPredictor(bytes, PredictorChoice::kCompiled).status().code(), StatusCode::kNotFound);
}

TEST_F(PredictorTest, WrongShapeIsInvalidArgument) {
  std::string bytes = TrainModel(ml::testing::RegressionCsv(200, 4, 1, 0.1), {{"num_round", "3"}});
  for (auto choice : {PredictorChoice::kCompiled, PredictorChoice::kLibxgboost}) {
    auto p = LoadPredictor(bytes, choice).value();
    std::vector<float> five(5);
    auto r = p->PredictRows(five, 1);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("1 rows of 4 features"));
    std::vector<float> out(1);
    std::vector<float> eight(8);
    EXPECT_EQ(p->PredictRows(eight, 2, out).code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(p->PredictRows(std::span<const float>(), 0).ok());
  }
}

TEST_F(PredictorTest, BytesNeitherCanReadAreInvalidArgumentWithBothReasons) {
  auto p = LoadPredictor("definitely not a model");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("compiler:"));
}

TEST(OutputKindTest, FollowsTheObjective) {
  EXPECT_EQ(OutputKindOf("reg:squarederror"), OutputKind::kValue);
  EXPECT_EQ(OutputKindOf("count:poisson"), OutputKind::kValue);
  EXPECT_EQ(OutputKindOf("binary:logistic"), OutputKind::kProbability);
  EXPECT_EQ(OutputKindOf("binary:logitraw"), OutputKind::kMargin);
  EXPECT_EQ(OutputKindOf("multi:softprob"), OutputKind::kClassProbabilities);
  EXPECT_EQ(OutputKindOf("multi:softmax"), OutputKind::kClassIndex);
  EXPECT_STREQ(OutputKindName(OutputKind::kClassProbabilities), "class_probabilities");
}

}  // namespace
}  // namespace grove::serving
