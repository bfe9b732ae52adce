#include "pipeline/batch_transform.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"
#include "ml/xgboost_booster.h"
#include "ml/xgboost_trainer.h"

namespace grove::pipeline {
namespace {

using ml::TrainRequest;
using ml::TrainXgboost;
using ml::XgboostBooster;

class BatchTransformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream train(dir_.path() / "train.csv");
    for (int i = 0; i < 200; ++i) train << (i % 10 > 5 ? 1 : 0) << "," << i % 10 << "," << (i * 7) % 3 << "\n";
    train.close();
    std::ofstream rows(dir_.path() / "rows.csv");
    rows << "label,x0,x1\n";
    for (int i = 0; i < 10; ++i) rows << (i > 5 ? 1 : 0) << "," << i << "," << i % 3 << "\n";
    rows.close();
    TrainRequest request;
    request.train = dir_.path() / "train.csv";
    request.hyperparameters = {{"objective", "binary:logistic"}, {"num_round", 5}, {"max_depth", 2}};
    request.nthread = 1;
    request.model_out = dir_.path() / "model.json";
    ASSERT_TRUE(TrainXgboost(request).ok());
  }

  // The model's prediction for one row, as a row-by-row invocation gives it.
  float PredictOne(float x0, float x1) {
    auto booster = XgboostBooster::LoadFromFile(dir_.path() / "model.json").value();
    std::vector<float> features = {x0, x1};
    return booster.Predict(features, 1, 2).value()[0];
  }

  TempDir dir_;
};

TEST_F(BatchTransformTest, JoinsPredictionsToTheInputAndFiltersAsSageMakerDoes) {
  BatchTransformRequest request;
  request.model = dir_.path() / "model.json";
  request.input = dir_.path() / "rows.csv";
  request.header = true;
  request.input_filter = "$[1:]";
  request.join_source = "Input";
  request.output_filter = "$[0,-1]";
  auto result = RunBatchTransform(request);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows, 10u);
  std::vector<std::string> lines;
  for (size_t start = 0; start < result->csv.size();) {
    size_t end = result->csv.find('\n', start);
    lines.push_back(result->csv.substr(start, end - start));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[0], "label,prediction");
  for (int i = 0; i < 10; ++i) {
    const std::string& line = lines[i + 1];
    size_t comma = line.find(',');
    EXPECT_EQ(line.substr(0, comma), i > 5 ? "1" : "0");
    EXPECT_NEAR(std::stod(line.substr(comma + 1)), PredictOne(i, i % 3), 1e-6) << "row " << i;
  }
}

TEST_F(BatchTransformTest, FiltersSelectFields) {
  EXPECT_EQ(SelectFields("$", 3).value(), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(SelectFields("$[1:]", 4).value(), (std::vector<size_t>{1, 2, 3}));
  EXPECT_EQ(SelectFields("$[0,-1]", 4).value(), (std::vector<size_t>{0, 3}));
  EXPECT_EQ(SelectFields("$[1:3, 0]", 4).value(), (std::vector<size_t>{1, 2, 0}));
  EXPECT_EQ(SelectFields("$[5]", 3).status().message(), "filter '$[5]': index 5 is outside a row of 3 fields");
  EXPECT_FALSE(SelectFields("[1]", 3).ok());
  EXPECT_FALSE(SelectFields("$[a]", 3).ok());
}

TEST_F(BatchTransformTest, BadRowsAndWrongWidthsSayWhere) {
  std::ofstream(dir_.path() / "bad.csv") << "1,2\n3,x\n";
  BatchTransformRequest request;
  request.model = dir_.path() / "model.json";
  request.input = dir_.path() / "bad.csv";
  auto result = RunBatchTransform(request);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("bad.csv:2:2: 'x' is not a number"), std::string::npos)
      << result.status().message();
  request.input = dir_.path() / "rows.csv";
  request.header = true;  // Three fields given to a two-feature model.
  result = RunBatchTransform(request);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("the model expects 2 features, the rows give 3"), std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace grove::pipeline
