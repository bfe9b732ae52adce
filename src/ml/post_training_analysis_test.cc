#include "ml/post_training_analysis.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"
#include "ml/xgboost_trainer.h"

namespace grove::ml {
namespace {

class AnalysisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Label = x0 > 5; x1 is noise the trees should rarely use.
    std::ofstream train(dir_.path() / "train.csv");
    for (int i = 0; i < 200; ++i) train << (i % 10 > 5 ? 1 : 0) << "," << i % 10 << "," << (i * 7) % 3 << "\n";
    train.close();
    std::ofstream test(dir_.path() / "test.csv");
    for (int i = 0; i < 10; ++i) test << (i > 5 ? 1 : 0) << "," << i << "," << i % 3 << "\n";
    test.close();
    TrainRequest request;
    request.train = dir_.path() / "train.csv";
    request.hyperparameters = {{"objective", "binary:logistic"}, {"num_round", 5}, {"max_depth", 2}};
    request.nthread = 1;
    request.model_out = dir_.path() / "model.json";
    auto trained = TrainXgboost(request);
    ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  }
  TempDir dir_;
};

TEST_F(AnalysisTest, BinsTheConfusionTableAndCountsSplitsPerFeature) {
  AnalysisRequest request{dir_.path() / "model.json", dir_.path() / "test.csv", {"x0", "x1"}, 4, 1};
  auto analysis = AnalyseModel(request);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  const Json& bins = (*analysis)["binned_confusion"];
  ASSERT_EQ(bins.size(), 4u);
  // At threshold 0 every row is predicted positive: 4 true positives, 6 false ones.
  EXPECT_EQ(bins[0]["tp"], 4);
  EXPECT_EQ(bins[0]["fp"], 6);
  EXPECT_EQ(bins[0]["true_positive_rate"], 1.0);
  EXPECT_EQ(bins[0]["false_positive_rate"], 1.0);
  EXPECT_EQ(bins[2]["threshold"], 0.5);
  EXPECT_EQ(bins[2]["tp"].get<int>() + bins[2]["fn"].get<int>(), 4);
  EXPECT_EQ(bins[2]["fp"], 0) << "the model separates the classes at 0.5";
  const Json& importance = (*analysis)["feature_importance"];
  ASSERT_FALSE(importance.empty());
  EXPECT_EQ(importance[0]["feature"], "x0") << importance.dump();
  EXPECT_GT(importance[0]["splits"].get<int>(), 0);
  EXPECT_EQ(FeatureImportanceCsv(*analysis).substr(0, 18), "feature,splits\nx0,");
  EXPECT_EQ(BinnedConfusionCsv(*analysis).substr(0, 10), "threshold,");
}

TEST_F(AnalysisTest, BadRequestsSayWhat) {
  AnalysisRequest request{dir_.path() / "model.json", dir_.path() / "test.csv", {}, 0, 1};
  EXPECT_EQ(AnalyseModel(request).status().message(), "bins: expected 1 to 1000, got 0");
  request.bins = 10;
  request.test = dir_.path() / "missing.csv";
  EXPECT_FALSE(AnalyseModel(request).ok());
}

}  // namespace
}  // namespace grove::ml
