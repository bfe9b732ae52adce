#include "serving/tree_ensemble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ml/xgboost_booster.h"
#include "serving/compiled_model_file.h"
#include "serving/serving_test_util.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;

// Bundled data sets prepared once for every test in this file.
class TreeEnsembleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    abalone_ = testing::Prepare(testing::AbaloneArgs(), dir_->path() / "abalone");
    churn_ = testing::Prepare(testing::ChurnArgs(), dir_->path() / "churn");
    banknote_ = testing::Prepare(testing::BanknoteArgs(), dir_->path() / "banknote");
    cancer_ = testing::Prepare(testing::BreastCancerArgs(), dir_->path() / "cancer");
    // Rings bucketed into three classes: young (<= 8), adult (9-10), old (>= 11).
    abalone3_train_ = testing::Relabel(abalone_.splits["train"], dir_->path() / "abalone3_train",
                                       [](double rings) { return rings <= 8 ? 0 : rings <= 10 ? 1 : 2; });
  }
  static void TearDownTestSuite() { delete dir_; }

  // Trains a model, compiles it, and checks every prediction (plain rows and
  // rows with missing cells) against libxgboost's within `tolerance`; the
  // same model written as a compiled file and mapped back predicts exactly
  // what the compiled one does.
  void ExpectSameAsXgboost(const std::filesystem::path& train, const std::filesystem::path& test, Json hyper,
                           double tolerance = 1e-6) {
    std::string bytes = testing::Train(train, std::move(hyper), dir_->path() / "model");
    Result<TreeEnsemble> compiled = TreeEnsemble::FromBytes(bytes);
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    const std::string digest(64, 'd');
    std::filesystem::path file = dir_->path() / "model.compiled";
    ASSERT_TRUE(WriteFileAtomic(file, CompiledModelFile::Serialize(*compiled, digest)).ok());
    Result<TreeEnsemble> mapped = CompiledModelFile::Map(file, digest);
    ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
    ASSERT_EQ(mapped->num_nodes(), compiled->num_nodes());
    ASSERT_EQ(mapped->objective(), compiled->objective());
    ml::XgboostBooster booster = ml::XgboostBooster::LoadFromBuffer(bytes).value();
    ml::LabeledMatrix m = testing::FeaturesWithMissing(test);
    ASSERT_EQ(compiled->num_features(), m.cols);
    std::vector<float> expected = booster.Predict(m.features, m.rows, m.cols).value();
    size_t k = compiled->num_outputs();
    ASSERT_EQ(expected.size(), m.rows * k);
    std::vector<float> out(k), from_file(k);
    double worst = 0;
    for (size_t r = 0; r < m.rows; ++r) {
      compiled->PredictRow(std::span<const float>(m.Row(r), m.cols), out);
      mapped->PredictRow(std::span<const float>(m.Row(r), m.cols), from_file);
      ASSERT_EQ(out, from_file) << "row " << r;
      for (size_t j = 0; j < k; ++j) {
        worst = std::max(worst, std::abs(double(out[j]) - expected[r * k + j]));
        ASSERT_NEAR(out[j], expected[r * k + j], tolerance) << "row " << r << " output " << j;
      }
    }
    // Margins too.
    std::vector<float> margins = booster.Predict(m.features, m.rows, m.cols, /*output_margin=*/true).value();
    std::vector<float> mine(compiled->num_groups());
    ASSERT_EQ(margins.size(), m.rows * mine.size());
    for (size_t r = 0; r < m.rows; r += 7) {
      compiled->PredictMargins(std::span<const float>(m.Row(r), m.cols), mine);
      for (size_t j = 0; j < mine.size(); ++j) ASSERT_NEAR(mine[j], margins[r * mine.size() + j], tolerance);
    }
    RecordProperty("max_abs_difference", std::to_string(worst));
  }

  static Json Hyper(const char* objective, int rounds = 50, int depth = 5) {
    return {{"objective", objective}, {"num_round", std::to_string(rounds)}, {"max_depth", std::to_string(depth)},
            {"eta", "0.2"}, {"gamma", "4"}, {"min_child_weight", "6"}, {"subsample", "0.7"}, {"seed", "42"}};
  }

  static TempDir* dir_;
  static data::PrepareSummary abalone_, churn_, banknote_, cancer_;
  static std::filesystem::path abalone3_train_;
};

TempDir* TreeEnsembleTest::dir_ = nullptr;
data::PrepareSummary TreeEnsembleTest::abalone_, TreeEnsembleTest::churn_, TreeEnsembleTest::banknote_,
    TreeEnsembleTest::cancer_;
std::filesystem::path TreeEnsembleTest::abalone3_train_;

TEST_F(TreeEnsembleTest, AbaloneRegressionMatchesXgboost) {
  ExpectSameAsXgboost(abalone_.splits["train"], abalone_.splits["test"], Hyper("reg:squarederror"));
}

TEST_F(TreeEnsembleTest, AbaloneLegacyLinearAndPoissonMatchXgboost) {
  ExpectSameAsXgboost(abalone_.splits["train"], abalone_.splits["test"], Hyper("reg:linear", 20));
  ExpectSameAsXgboost(abalone_.splits["train"], abalone_.splits["test"], Hyper("count:poisson", 20), 1e-5);
}

TEST_F(TreeEnsembleTest, ChurnBinaryLogisticMatchesXgboost) {
  ExpectSameAsXgboost(churn_.splits["train"], churn_.splits["test"], Hyper("binary:logistic"));
}

TEST_F(TreeEnsembleTest, ChurnLogitRawMatchesXgboostMargins) {
  ExpectSameAsXgboost(churn_.splits["train"], churn_.splits["test"], Hyper("binary:logitraw", 20), 1e-5);
}

TEST_F(TreeEnsembleTest, BanknoteAndBreastCancerBinaryMatchXgboost) {
  ExpectSameAsXgboost(banknote_.splits["train"], banknote_.splits["test"], Hyper("binary:logistic"));
  ExpectSameAsXgboost(cancer_.splits["train"], cancer_.splits["test"], Hyper("binary:logistic"));
}

TEST_F(TreeEnsembleTest, AbaloneThreeClassSoftprobMatchesXgboost) {
  Json hyper = Hyper("multi:softprob", 30);
  hyper["num_class"] = "3";
  ExpectSameAsXgboost(abalone3_train_, abalone_.splits["test"], hyper);
}

TEST_F(TreeEnsembleTest, AbaloneThreeClassSoftmaxGivesXgboostsClass) {
  Json hyper = Hyper("multi:softmax", 30);
  hyper["num_class"] = "3";
  ExpectSameAsXgboost(abalone3_train_, abalone_.splits["test"], hyper);
}

TEST_F(TreeEnsembleTest, DeepTreesAndRandomForestMatchXgboost) {
  Json hyper = Hyper("reg:squarederror", 5, 12);
  hyper["num_parallel_tree"] = "4";
  hyper["colsample_bynode"] = "0.5";
  ExpectSameAsXgboost(abalone_.splits["train"], abalone_.splits["test"], hyper);
}

TEST_F(TreeEnsembleTest, DartWithDroppedTreesMatchesXgboost) {
  Json hyper = Hyper("reg:squarederror", 20);
  hyper["booster"] = "dart";
  hyper["rate_drop"] = "0.3";
  ExpectSameAsXgboost(abalone_.splits["train"], abalone_.splits["test"], hyper, 1e-5);
}

TEST_F(TreeEnsembleTest, UbjsonModelCompilesToTheSamePredictions) {
  std::string json = testing::Train(churn_.splits["train"], Hyper("binary:logistic", 10), dir_->path() / "m");
  ml::XgboostBooster booster = ml::XgboostBooster::LoadFromBuffer(json).value();
  std::string ubj = booster.Save(ml::XgboostBooster::Format::kUbjson).value();
  Result<TreeEnsemble> a = TreeEnsemble::FromBytes(json);
  Result<TreeEnsemble> b = TreeEnsemble::FromBytes(ubj);
  ASSERT_TRUE(a.ok() && b.ok()) << b.status().ToString();
  ml::LabeledMatrix m = ml::ReadLabelFirstCsv(churn_.splits["test"]).value();
  float pa = 0, pb = 0;
  for (size_t r = 0; r < m.rows; ++r) {
    a->PredictRow(std::span<const float>(m.Row(r), m.cols), std::span<float>(&pa, 1));
    b->PredictRow(std::span<const float>(m.Row(r), m.cols), std::span<float>(&pb, 1));
    ASSERT_EQ(pa, pb) << r;
  }
}

TEST_F(TreeEnsembleTest, TextScannerAndDocumentReaderCompileTheSameModel) {
  Json hyper = Hyper("multi:softprob", 10);
  hyper["num_class"] = "3";
  std::string bytes = testing::Train(abalone3_train_, hyper, dir_->path() / "scan");
  TreeEnsemble scanned = TreeEnsemble::FromBytes(bytes).value();
  TreeEnsemble parsed = TreeEnsemble::FromJson(Json::parse(bytes)).value();
  EXPECT_EQ(scanned.num_nodes(), parsed.num_nodes());
  EXPECT_EQ(scanned.num_trees(), 30u);
  ml::LabeledMatrix m = testing::FeaturesWithMissing(abalone_.splits["test"]);
  std::vector<float> a(3), b(3);
  for (size_t r = 0; r < m.rows; ++r) {
    scanned.PredictRow(std::span<const float>(m.Row(r), m.cols), a);
    parsed.PredictRow(std::span<const float>(m.Row(r), m.cols), b);
    ASSERT_EQ(a, b) << r;
  }
  // Pretty-printed text goes through the scanner too.
  EXPECT_EQ(TreeEnsemble::FromBytes(Json::parse(bytes).dump(2))->num_nodes(), scanned.num_nodes());
}

TEST_F(TreeEnsembleTest, BrokenModelTextIsInvalidArgumentWhicheverReaderSeesIt) {
  std::string bytes = testing::Train(abalone_.splits["train"], Hyper("reg:squarederror", 2), dir_->path() / "t");
  Json doc = Json::parse(bytes);
  doc["learner"]["gradient_booster"]["model"]["trees"][1]["right_children"][0] = -5;
  Result<TreeEnsemble> r = TreeEnsemble::FromBytes(doc.dump());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("tree 1: node 0 has a child out of range"));
  Result<TreeEnsemble> truncated = TreeEnsemble::FromBytes(bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(truncated.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TreeEnsemble::FromBytes(std::string(100000, '[')).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TreeEnsemble::FromBytes("{}").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TreeEnsembleTest, GblinearIsNotFoundSoCallersFallBack) {
  Json hyper = Hyper("reg:squarederror", 5);
  hyper["booster"] = "gblinear";
  std::string bytes = testing::Train(abalone_.splits["train"], hyper, dir_->path() / "linear");
  Result<TreeEnsemble> compiled = TreeEnsemble::FromBytes(bytes);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(compiled.status().message(), HasSubstr("gblinear"));
}

TEST_F(TreeEnsembleTest, UnknownObjectiveIsNotFound) {
  std::string bytes = testing::Train(abalone_.splits["train"], Hyper("reg:squarederror", 2), dir_->path() / "o");
  Json doc = Json::parse(bytes);
  doc["learner"]["objective"]["name"] = "survival:aft";
  EXPECT_EQ(TreeEnsemble::FromJson(doc).status().code(), StatusCode::kNotFound);
  doc["learner"]["gradient_booster"]["model"]["trees"][0]["split_type"][0] = 1;
  doc["learner"]["objective"]["name"] = "reg:squarederror";
  Result<TreeEnsemble> categorical = TreeEnsemble::FromJson(doc);
  EXPECT_EQ(categorical.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(categorical.status().message(), HasSubstr("categorical"));
}

TEST_F(TreeEnsembleTest, BrokenModelsAreInvalidArgument) {
  EXPECT_EQ(TreeEnsemble::FromBytes("not a model").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TreeEnsemble::FromBytes("{\"a\": 1}").status().code(), StatusCode::kInvalidArgument);
  std::string bytes = testing::Train(abalone_.splits["train"], Hyper("reg:squarederror", 2), dir_->path() / "b");
  Json doc = Json::parse(bytes);
  Json& tree = doc["learner"]["gradient_booster"]["model"]["trees"][1];
  tree["left_children"][0] = 100000;
  Result<TreeEnsemble> r = TreeEnsemble::FromJson(doc);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("tree 1"));
  tree["left_children"][0] = 0;  // A cycle back to the root.
  EXPECT_EQ(TreeEnsemble::FromJson(doc).status().code(), StatusCode::kInvalidArgument);
  doc = Json::parse(bytes);
  doc["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"][0] = 99;
  EXPECT_THAT(TreeEnsemble::FromJson(doc).status().message(), HasSubstr("feature 99"));
  doc["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"] = "x";
  EXPECT_EQ(TreeEnsemble::FromJson(doc).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TreeEnsembleTest, ReportsShapeAndMemory) {
  std::string bytes = testing::Train(abalone_.splits["train"], Hyper("reg:squarederror"), dir_->path() / "s");
  TreeEnsemble e = TreeEnsemble::FromBytes(bytes).value();
  EXPECT_EQ(e.num_trees(), 50u);
  EXPECT_EQ(e.num_features(), 10u);
  EXPECT_EQ(e.num_outputs(), 1u);
  EXPECT_EQ(e.objective(), "reg:squarederror");
  EXPECT_GE(e.MemoryBytes(), e.num_nodes() * 12);
  EXPECT_LT(e.MemoryBytes(), 64u * 1024);
}

}  // namespace
}  // namespace grove::serving
