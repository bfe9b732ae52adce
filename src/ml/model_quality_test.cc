#include "ml/model_quality.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "common/file_util.h"
#include "ml/test_data.h"
#include "ml/xgboost_trainer.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

Json ModelQualityTestdata(const std::string& name) {
  const char* env = std::getenv("GROVE_SOURCE_DIR");
  std::filesystem::path root = env != nullptr ? std::filesystem::path(env) : std::filesystem::path(GROVE_SOURCE_DIR);
  return Json::parse(ReadFile(root / "src/data/testdata" / name).value());
}

std::set<std::string> MetricKeys(const Json& section) {
  std::set<std::string> keys;
  for (const auto& [key, value] : section.items()) keys.insert(key);
  return keys;
}

// The reference file's figures come from a confusion matrix tn=1, fp=2, fn=0, tp=1.
TEST(ModelQualityTest, BinaryClassificationMatchesTheReferenceFigures) {
  std::vector<double> labels = {0, 0, 0, 1};
  std::vector<double> probabilities = {0.2, 0.7, 0.8, 0.9};
  Json stats = BinaryClassificationQualityStatistics(labels, probabilities, 0.5);
  EXPECT_EQ(stats["dataset"]["item_count"], 4);
  const Json& ours = stats["binary_classification_metrics"];
  const Json reference = ModelQualityTestdata("model_quality_binary_classification_statistics.json");
  const Json& theirs = reference["binary_classification_metrics"];
  EXPECT_EQ(MetricKeys(ours), MetricKeys(theirs));
  EXPECT_EQ(ours["confusion_matrix"], theirs["confusion_matrix"]);
  for (const auto& [key, metric] : theirs.items()) {
    if (!metric.contains("value")) continue;
    EXPECT_NEAR(ours[key]["value"].get<double>(), metric["value"].get<double>(), 1e-12) << key;
  }
  EXPECT_EQ(ours["f1"]["standard_deviation"], "NaN");
}

TEST(ModelQualityTest, RegressionMetricsOfAKnownSetAndTheReferenceLayout) {
  std::vector<double> y = {1, 2, 3};
  std::vector<double> y_hat = {1, 2, 4};
  Json stats = RegressionQualityStatistics(y, y_hat);
  const Json& m = stats["regression_metrics"];
  EXPECT_DOUBLE_EQ(m["mae"]["value"].get<double>(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(m["mse"]["value"].get<double>(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(m["rmse"]["value"].get<double>(), std::sqrt(1.0 / 3));
  EXPECT_DOUBLE_EQ(m["r2"]["value"].get<double>(), 0.5);
  Json reference = ModelQualityTestdata("model_quality_statistics.json");
  EXPECT_EQ(MetricKeys(stats), MetricKeys(reference));
  EXPECT_EQ(MetricKeys(m), MetricKeys(reference["regression_metrics"]));
  std::vector<std::string> order;
  for (const auto& [key, value] : m.items()) order.push_back(key);
  EXPECT_EQ(order, (std::vector<std::string>{"mae", "mse", "rmse", "r2"}));

  Json constraints = SuggestModelQualityConstraints(stats);
  Json ref_constraints = ModelQualityTestdata("model_quality_good_cases_constraints.json");
  EXPECT_EQ(MetricKeys(constraints), MetricKeys(ref_constraints));
  for (const auto& [key, c] : ref_constraints["regression_constraints"].items()) {
    EXPECT_EQ(constraints["regression_constraints"][key]["comparison_operator"], c["comparison_operator"]) << key;
  }
  EXPECT_DOUBLE_EQ(constraints["regression_constraints"]["mae"]["threshold"].get<double>(), 1.0 / 3);
}

TEST(ModelQualityTest, TheReferenceStatisticsMeetTheirConstraints) {
  Json report = CheckModelQuality(ModelQualityTestdata("model_quality_statistics.json"),
                                  ModelQualityTestdata("model_quality_good_cases_constraints.json"))
                    .value();
  EXPECT_EQ(report["violations"], Json::array());
}

TEST(ModelQualityTest, AWorseModelBreaksTheBaselineConstraints) {
  std::vector<double> y = {1, 2, 3, 4};
  Json baseline = RegressionQualityStatistics(y, std::vector<double>{1, 2, 3, 5});
  Json constraints = SuggestModelQualityConstraints(baseline);
  EXPECT_EQ(CheckModelQuality(baseline, constraints)->at("violations"), Json::array());
  Json worse = RegressionQualityStatistics(y, std::vector<double>{2, 3, 4, 7});
  Json report = CheckModelQuality(worse, constraints).value();
  ASSERT_EQ(report["violations"].size(), 4u) << report.dump(2);
  EXPECT_EQ(report["violations"][0]["metric_name"], "mae");
  EXPECT_EQ(report["violations"][0]["constraint_check_type"], "GreaterThanThreshold");
  EXPECT_EQ(report["violations"][0]["description"], "Metric mae with 1.5 was GreaterThanThreshold 0.25");
  EXPECT_EQ(report["violations"][3]["metric_name"], "r2");
  EXPECT_EQ(report["violations"][3]["constraint_check_type"], "LessThanThreshold");

  std::vector<double> labels = {0, 0, 1, 1};
  Json good = BinaryClassificationQualityStatistics(labels, std::vector<double>{0.1, 0.2, 0.8, 0.9});
  Json bad = BinaryClassificationQualityStatistics(labels, std::vector<double>{0.9, 0.2, 0.8, 0.1});
  Json violations = CheckModelQuality(bad, SuggestModelQualityConstraints(good)).value()["violations"];
  std::set<std::string> broken;
  for (const Json& v : violations) broken.insert(v["metric_name"].get<std::string>());
  EXPECT_TRUE(broken.count("auc") && broken.count("accuracy") && broken.count("false_positive_rate"))
      << violations.dump(2);
}

TEST(ModelQualityTest, MismatchedOrMalformedConstraintsAreErrorsNamingTheField) {
  std::vector<double> y = {1, 2, 3};
  Json regression = RegressionQualityStatistics(y, y);
  Json binary = BinaryClassificationQualityStatistics(std::vector<double>{0, 1}, std::vector<double>{0.2, 0.8});
  auto mismatch = CheckModelQuality(binary, SuggestModelQualityConstraints(regression));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_THAT(mismatch.status().message(), HasSubstr("problem_type"));
  Json bad_op = Json::parse(R"({"regression_constraints": {"mae": {"threshold": 1, "comparison_operator": "Above"}}})");
  auto op = CheckModelQuality(regression, bad_op);
  ASSERT_FALSE(op.ok());
  EXPECT_THAT(op.status().message(), HasSubstr("regression_constraints.mae"));
  EXPECT_FALSE(EvaluationKindOf("Multiclass").ok());
  EXPECT_EQ(EvaluationKindOf("BinaryClassification").value(), "binary_classification");
}

// The step's own predictions: the model file predicts a label-first test split,
// and the statistics agree with the Evaluation report of the same request.
TEST(ModelQualityTest, ModelPredictionsGiveTheEvaluationFiguresAndTheRowCount) {
  TempDir dir;
  TrainRequest train;
  train.train = testing::WriteText(dir.path() / "train", testing::BinaryCsv(300, 4, 21));
  train.model_out = dir.path() / "model.json";
  train.hyperparameters = {{"num_round", 10}, {"objective", "binary:logistic"}, {"max_depth", 3}};
  ASSERT_TRUE(TrainXgboost(train).ok());
  EvaluationRequest request{train.model_out, testing::WriteText(dir.path() / "test", testing::BinaryCsv(120, 4, 22)),
                            "binary_classification", 0.5, ""};
  Json stats = ModelQualityOfModel(request).value();
  Json report = Evaluate(request).value();
  EXPECT_EQ(stats["dataset"]["item_count"], 120);
  const Json& m = stats["binary_classification_metrics"];
  EXPECT_EQ(m["auc"], report["binary_classification_metrics"]["auc"]);
  EXPECT_EQ(m["confusion_matrix"], report["binary_classification_metrics"]["confusion_matrix"]);
  EXPECT_DOUBLE_EQ(m["true_positive_rate"]["value"].get<double>(), m["recall"]["value"].get<double>());
  EXPECT_FALSE(ModelQualityOfModel(EvaluationRequest{train.model_out, "/nonexistent.csv", "regression", 0.5, ""}).ok());
}

}  // namespace
}  // namespace grove::ml
