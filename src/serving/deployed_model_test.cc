#include "serving/deployed_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "registry/registry.h"
#include "serving/payload.h"
#include "serving/serving_test_util.h"
#include "store/metadata_store.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;

// Raw training-file rows without their last column (the label), as CSV text.
std::string RawRowsWithoutLabel(const std::filesystem::path& file, size_t rows, bool header) {
  std::string text = ReadFile(file).value(), out;
  size_t pos = 0;
  if (header) pos = text.find('\n') + 1;
  for (size_t r = 0; r < rows; ++r) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    out += line.substr(0, line.rfind(',')) + "\n";
    pos = end + 1;
  }
  return out;
}

class DeployedModelTest : public testing::StoreFixture {
 protected:

  // Prepares `args` in file order (no shuffle, one split) so the train file's
  // rows are the raw file's rows, trains, and registers the model with its transform.
  store::ModelVersionRecord TrainAndRegister(Json args, Json hyper, const std::string& group, bool transform = true) {
    args["shuffle"] = false;
    args.erase("split");
    prepared_ = testing::Prepare(args, dir_.path() / group);
    testing::Train(prepared_.splits["train"], std::move(hyper), dir_.path() / (group + ".model"));
    store::ModelVersionRecord v;
    v.group = group;
    v.model_digest = artifacts_->Put(dir_.path() / (group + ".model"))->digest;
    if (transform) v.metadata["transform"] = artifacts_->Put(prepared_.transform)->digest;
    return registry_->Register(v).value();
  }

  data::PrepareSummary prepared_;
};

TEST_F(DeployedModelTest, AbaloneRawRowsPredictLikeTheirTransformedRows) {
  auto version = TrainAndRegister(testing::AbaloneArgs(), {{"num_round", "20"}, {"max_depth", "5"}}, "Abalone");
  auto model = LoadDeployedModel(*artifacts_, version);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const DeployedModel& m = **model;
  EXPECT_EQ(m.info().Key(), "Abalone/1");
  EXPECT_EQ(m.info().transform_digest, version.metadata["transform"]);
  EXPECT_EQ(m.kind(), ModelKind::kRegression);
  EXPECT_EQ(m.predictor().implementation(), "compiled");
  EXPECT_EQ(m.num_features(), 10u);
  EXPECT_EQ(m.num_raw_columns(), 8u);
  EXPECT_GT(m.MemoryBytes(), m.predictor().MemoryBytes());

  constexpr size_t kRows = 200;
  auto raw = ParseCsvRequest(RawRowsWithoutLabel(testing::AbalonePath(), kRows, false), InputKind::kRaw).value();
  Predictions from_raw = m.PredictRaw(raw.cells, raw.rows, raw.cols).value();
  ml::LabeledMatrix features = ml::ReadLabelFirstCsv(prepared_.splits["train"]).value();
  Predictions from_features = m.PredictFeatures(std::span<const float>(features.features.data(), kRows * 10), kRows, 10).value();
  ASSERT_EQ(from_raw.values.size(), kRows);
  EXPECT_FALSE(from_raw.labels);
  for (size_t r = 0; r < kRows; ++r) EXPECT_NEAR(from_raw.values[r], from_features.values[r], 1e-6) << r;
  auto label = m.PredictFeatures(std::span<const float>(features.features.data(), 10), 1, 10, OutputRequest::kLabel);
  EXPECT_EQ(label.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(label.status().message(), HasSubstr("Abalone/1 is a regression model"));
}

TEST_F(DeployedModelTest, ChurnRawRowsWithDroppedColumnsGiveProbabilitiesOrLabels) {
  auto version = TrainAndRegister(testing::ChurnArgs(), {{"objective", "binary:logistic"}, {"num_round", "20"}}, "Churn");
  auto m = LoadDeployedModel(*artifacts_, version).value();
  EXPECT_EQ(m->kind(), ModelKind::kBinary);
  constexpr size_t kRows = 100;
  // The raw rows still have Phone and the charges (dropped in preparation).
  auto raw = ParseCsvRequest(RawRowsWithoutLabel(testing::ChurnPath(), kRows, true), InputKind::kRaw).value();
  EXPECT_GT(raw.cols, m->num_raw_columns());
  Predictions p = m->PredictRaw(raw.cells, raw.rows, raw.cols).value();
  Predictions labels = m->PredictRaw(raw.cells, raw.rows, raw.cols, OutputRequest::kLabel).value();
  ml::LabeledMatrix features = ml::ReadLabelFirstCsv(prepared_.splits["train"]).value();
  Predictions expected = m->PredictFeatures(std::span<const float>(features.features.data(), kRows * features.cols),
                                            kRows, features.cols).value();
  EXPECT_TRUE(labels.labels);
  for (size_t r = 0; r < kRows; ++r) {
    EXPECT_NEAR(p.values[r], expected.values[r], 1e-6) << r;
    EXPECT_GE(p.values[r], 0.0);
    EXPECT_LE(p.values[r], 1.0);
    EXPECT_EQ(labels.values[r], p.values[r] > 0.5 ? 1.0 : 0.0);
  }
}

TEST_F(DeployedModelTest, MulticlassGivesClassProbabilitiesOrTheClass) {
  Json args = testing::AbaloneArgs();
  args["label"] = "rings";
  auto version = TrainAndRegister(args, {{"num_round", "1"}}, "Tmp");
  testing::Relabel(prepared_.splits["train"], dir_.path() / "three",
                   [](double rings) { return rings <= 8 ? 0 : rings <= 10 ? 1 : 2; });
  testing::Train(dir_.path() / "three", {{"objective", "multi:softprob"}, {"num_class", "3"}, {"num_round", "5"}},
                 dir_.path() / "three.model");
  version.model_digest = artifacts_->Put(dir_.path() / "three.model")->digest;
  auto m = LoadDeployedModel(*artifacts_, version).value();
  EXPECT_EQ(m->kind(), ModelKind::kMulticlass);
  auto raw = ParseCsvRequest("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\nF,0.7,0.5,0.2,2,1,0.5,0.6\n",
                             InputKind::kRaw).value();
  Predictions p = m->PredictRaw(raw.cells, raw.rows, raw.cols).value();
  EXPECT_TRUE(p.arrays);
  ASSERT_EQ(p.per_row, 3u);
  EXPECT_NEAR(p.values[0] + p.values[1] + p.values[2], 1.0, 1e-6);
  Predictions classes = m->PredictRaw(raw.cells, raw.rows, raw.cols, OutputRequest::kLabel).value();
  ASSERT_EQ(classes.values.size(), 2u);
  EXPECT_EQ(classes.per_row, 1u);
  for (size_t r = 0; r < 2; ++r) {
    const double* probs = &p.values[r * 3];
    double best = std::max_element(probs, probs + 3) - probs;
    EXPECT_EQ(classes.values[r], best) << r;
  }
}

TEST_F(DeployedModelTest, BadRowsNameRowColumnAndCounts) {
  auto version = TrainAndRegister(testing::AbaloneArgs(), {{"num_round", "3"}}, "Abalone");
  auto m = LoadDeployedModel(*artifacts_, version).value();
  auto raw = ParseCsvRequest("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\nM,0.4,abc,0.1,0.5,0.2,0.1,0.1\n",
                             InputKind::kRaw).value();
  auto bad = m->PredictRaw(raw.cells, raw.rows, raw.cols);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("row 2: "));
  EXPECT_THAT(bad.status().message(), HasSubstr("'abc' is not a number"));
  std::vector<std::string> short_row = {"M", "0.4"};
  EXPECT_THAT(m->PredictRaw(short_row, 1, 2).status().message(), HasSubstr("expected 8 raw columns, got 2"));
  std::vector<float> nine(9);
  auto narrow = m->PredictFeatures(nine, 1, 9);
  EXPECT_EQ(narrow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(narrow.status().message(), HasSubstr("expected 10 features, got 9"));
}

TEST_F(DeployedModelTest, LoadErrors) {
  auto plain = TrainAndRegister(testing::AbaloneArgs(), {{"num_round", "2"}}, "Plain", /*transform=*/false);
  auto m = LoadDeployedModel(*artifacts_, plain).value();
  EXPECT_EQ(m->transform(), nullptr);
  std::vector<std::string> row(8, "1");
  EXPECT_EQ(m->PredictRaw(row, 1, 8).status().code(), StatusCode::kFailedPrecondition);

  store::ModelVersionRecord missing = plain;
  missing.model_digest = std::string(64, 'a');
  auto r = LoadDeployedModel(*artifacts_, missing);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("Plain/1: model artifact"));

  store::ModelVersionRecord mismatched = plain;
  Json churn = testing::ChurnArgs();
  churn["shuffle"] = false;
  churn.erase("split");
  auto churn_prep = testing::Prepare(churn, dir_.path() / "churn");
  mismatched.metadata["transform"] = artifacts_->Put(churn_prep.transform)->digest;
  auto mm = LoadDeployedModel(*artifacts_, mismatched);
  EXPECT_EQ(mm.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(mm.status().message(), HasSubstr("but the model expects 10"));
}

TEST_F(DeployedModelTest, FallbackPredictorServesTheSameAnswers) {
  auto version = TrainAndRegister(testing::AbaloneArgs(), {{"num_round", "5"}}, "Abalone");
  auto compiled = LoadDeployedModel(*artifacts_, version).value();
  auto fallback = LoadDeployedModel(*artifacts_, version, PredictorChoice::kLibxgboost).value();
  EXPECT_EQ(fallback->predictor().implementation(), "libxgboost");
  auto raw = ParseCsvRequest(RawRowsWithoutLabel(testing::AbalonePath(), 50, false), InputKind::kRaw).value();
  Predictions a = compiled->PredictRaw(raw.cells, raw.rows, raw.cols).value();
  Predictions b = fallback->PredictRaw(raw.cells, raw.rows, raw.cols).value();
  for (size_t r = 0; r < 50; ++r) EXPECT_NEAR(a.values[r], b.values[r], 1e-6);
}

}  // namespace
}  // namespace grove::serving
