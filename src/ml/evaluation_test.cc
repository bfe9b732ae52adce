#include "ml/evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "common/file_util.h"
#include "ml/label_first_csv.h"
#include "ml/metrics.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"
#include "ml/xgboost_booster.h"
#include "ml/xgboost_trainer.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

TEST(EvaluationReportTest, RegressionLayout) {
  // y - y_hat = [-0.5, 0, 1, -1]: mse 0.5625, rmse 0.75, mae 0.625, r2 0.55, residual variance 0.546875.
  Json report = RegressionReport(std::vector<double>{1, 2, 3, 4}, std::vector<double>{1.5, 2, 2, 5});
  Json expected = {{"regression_metrics",
                    {{"mse", {{"value", 0.5625}, {"standard_deviation", std::sqrt(0.546875)}}},
                     {"rmse", {{"value", 0.75}, {"standard_deviation", "NaN"}}},
                     {"mae", {{"value", 0.625}, {"standard_deviation", "NaN"}}},
                     {"r2", {{"value", 0.55}, {"standard_deviation", "NaN"}}}}}};
  // The metrics section stays exactly as consumers iterate it; residuals are its sibling.
  EXPECT_EQ(report["regression_metrics"].dump(), expected["regression_metrics"].dump());
  std::vector<std::string> sections;
  for (const auto& [key, value] : report.items()) sections.push_back(key);
  EXPECT_EQ(sections, (std::vector<std::string>{"regression_metrics", "residuals"}));
  // Residuals [-0.5, 0, 1, -1] over [-1, 1]: bins of 0.1.
  const Json& residuals = report["residuals"];
  EXPECT_EQ(residuals["points"], Json::parse("[[1.5, -0.5], [2, 0], [2, 1], [5, -1]]"));
  std::vector<int64_t> counts(20, 0);
  counts[0] = 1;   // -1
  counts[5] = 1;   // -0.5
  counts[10] = 1;  // 0
  counts[19] = 1;  // 1, the top edge, in the last bin
  EXPECT_EQ(residuals["histogram"]["counts"], Json(counts));
  ASSERT_EQ(residuals["histogram"]["edges"].size(), 21u);
  EXPECT_DOUBLE_EQ(residuals["histogram"]["edges"][10].get<double>(), 0.0);
}

TEST(EvaluationReportTest, ResidualHistogramSpansMinToMaxAndCountsEveryRow) {
  std::vector<double> y, y_hat;
  for (int i = 0; i < 1234; ++i) {
    y_hat.push_back(i * 0.5);
    y.push_back(i * 0.5 + std::sin(i) * 3 + 0.25);  // Residuals in [-2.75, 3.25].
  }
  Json residuals = RegressionReport(y, y_hat)["residuals"];
  const Json& edges = residuals["histogram"]["edges"];
  const Json& counts = residuals["histogram"]["counts"];
  ASSERT_EQ(edges.size(), 21u);
  ASSERT_EQ(counts.size(), 20u);
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < y.size(); ++i) {
    lo = std::min(lo, y[i] - y_hat[i]);
    hi = std::max(hi, y[i] - y_hat[i]);
  }
  EXPECT_EQ(edges.front().get<double>(), lo);
  EXPECT_EQ(edges.back().get<double>(), hi);
  int64_t total = 0;
  for (size_t b = 0; b < counts.size(); ++b) {
    EXPECT_LT(edges[b].get<double>(), edges[b + 1].get<double>());
    EXPECT_GT(counts[b].get<int64_t>(), 0) << "bin " << b;  // A sine fills every bin.
    total += counts[b].get<int64_t>();
  }
  EXPECT_EQ(total, 1234);

  // At most 500 points: every ceil(1234 / 500) = 3rd row, in order, residual = label - prediction.
  const Json& points = residuals["points"];
  ASSERT_EQ(points.size(), 412u);
  for (size_t p = 0; p < points.size(); ++p) {
    ASSERT_EQ(points[p][0].get<double>(), y_hat[3 * p]);
    ASSERT_EQ(points[p][1].get<double>(), y[3 * p] - y_hat[3 * p]);
  }
  EXPECT_GT(points[1][1].get<double>(), 0);  // Row 3: sin(3) * 3 + 0.25 > 0, the label above the prediction.
}

TEST(EvaluationReportTest, ExactlyFiveHundredRowsAreAllPointsAndEqualResidualsShareABin) {
  std::vector<double> y(500, 2.0), y_hat(500, 1.5);
  Json residuals = RegressionReport(y, y_hat)["residuals"];
  EXPECT_EQ(residuals["points"].size(), 500u);
  EXPECT_EQ(residuals["points"][0], Json::array({1.5, 0.5}));
  EXPECT_EQ(residuals["histogram"]["counts"][0], 500);
  EXPECT_EQ(residuals["histogram"]["edges"].front(), 0.5);
  EXPECT_EQ(residuals["histogram"]["edges"].back(), 0.5);
  y.push_back(2.0);
  y_hat.push_back(1.5);
  EXPECT_EQ(RegressionReport(y, y_hat)["residuals"]["points"].size(), 251u);  // Every 2nd of 501.
}

TEST(EvaluationReportTest, BinaryClassificationLayout) {
  std::vector<double> labels = {0, 1, 1, 0};
  std::vector<double> probabilities = {0.2, 0.9, 0.3, 0.7};
  // Predicted [0, 1, 0, 1]: tn 1, fp 1, fn 1, tp 1. Positives beat negatives in 3 of 4 pairs.
  Json report = BinaryClassificationReport(labels, probabilities);
  auto metric = [](Json v) { return Json{{"value", v}, {"standard_deviation", "NaN"}}; };
  Json expected = {
      {"binary_classification_metrics",
       {{"accuracy", metric(0.5)},
        {"precision", metric(0.5)},
        {"recall", metric(0.5)},
        {"f1", metric(0.5)},
        {"auc", metric(0.75)},
        {"confusion_matrix", {{"0", {{"0", 1}, {"1", 1}}}, {"1", {{"0", 1}, {"1", 1}}}}},
        // Thresholds 0.9, 0.7, 0.3, 0.2.
        {"receiver_operating_characteristic_curve",
         {{"false_positive_rates", {0.0, 0.0, 0.5, 0.5, 1.0}}, {"true_positive_rates", {0.0, 0.5, 0.5, 1.0, 1.0}}}},
        // Ascending thresholds 0.2, 0.3, 0.7, 0.9: precision 2/4, 2/3, 1/2, 1/1, then (1, 0).
        {"precision_recall_curve",
         {{"precisions", {0.5, 2.0 / 3, 0.5, 1.0, 1.0}}, {"recalls", {1.0, 1.0, 0.5, 0.5, 0.0}}}}}}};
  EXPECT_EQ(report.dump(), expected.dump());
}

TEST(EvaluationReportTest, UndefinedAucIsWrittenNaN) {
  Json report = BinaryClassificationReport(std::vector<double>{1, 1}, std::vector<double>{0.6, 0.7});
  EXPECT_EQ(report["binary_classification_metrics"]["auc"]["value"], "NaN");
  EXPECT_TRUE(report["binary_classification_metrics"]["receiver_operating_characteristic_curve"]["false_positive_rates"]
                  .empty());
}

class EvaluateTest : public ::testing::Test {
 protected:
  std::filesystem::path TrainBinary(const std::string& objective) {
    TrainRequest r;
    r.train = testing::WriteText(dir_.path() / "train", testing::BinaryCsv(800, 4, 21));
    r.model_out = dir_.path() / objective;
    r.hyperparameters = {{"num_round", 20}, {"objective", objective}, {"max_depth", 3}};
    Result<TrainSummary> s = TrainXgboost(r);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return r.model_out;
  }

  TempDir dir_;
  std::filesystem::path test_ = testing::WriteText(dir_.path() / "test", testing::BinaryCsv(400, 4, 22));
};

TEST_F(EvaluateTest, BinaryLogisticReportWithRegisterMetric) {
  EvaluationRequest request{TrainBinary("binary:logistic"), test_, "binary_classification", 0.5, ""};
  request.register_metric = "auc";
  Result<Json> report = Evaluate(request);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const Json& m = (*report)["binary_classification_metrics"];
  EXPECT_GT(m["accuracy"]["value"].get<double>(), 0.7);
  EXPECT_GT(m["auc"]["value"].get<double>(), 0.8);
  EXPECT_EQ((*report)["register_metric"], m["auc"]);
  const Json& cm = m["confusion_matrix"];
  EXPECT_EQ(cm["0"]["0"].get<int>() + cm["0"]["1"].get<int>() + cm["1"]["0"].get<int>() + cm["1"]["1"].get<int>(), 400);
  EXPECT_EQ(m["receiver_operating_characteristic_curve"]["false_positive_rates"].back(), 1.0);
}

// A model document of any family (what Tuning and Refit write) is evaluated
// with the same report, from the model's own probabilities.
TEST_F(EvaluateTest, ModelDocumentsOfEveryClassificationFamily) {
  Dataset train = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(800, 4, 21), "train").value());
  Dataset test = Dataset::FromLabeledMatrix(ReadLabelFirstCsv(test_).value());
  for (const std::string& family : ModelRegistry::BuiltIn().FamilyNames(TaskKind::kBinaryClassification)) {
    auto model = ModelRegistry::BuiltIn().Create(family, Json::object(), TaskKind::kBinaryClassification).value();
    ASSERT_TRUE(model->Fit(train).ok()) << family;
    std::filesystem::path path = dir_.path() / (family + ".json");
    ASSERT_TRUE(WriteFile(path, model->Save().value()).ok());
    EvaluationRequest request{path, test_, "binary_classification", 0.5, "f1"};
    Result<Json> report = Evaluate(request);
    ASSERT_TRUE(report.ok()) << family << ": " << report.status().ToString();
    const Json& m = (*report)["binary_classification_metrics"];
    std::vector<double> expected = model->PredictProba(test.View()).value();
    EXPECT_DOUBLE_EQ(m["auc"]["value"].get<double>(), RocAuc(test.labels, expected)) << family;
    EXPECT_EQ((*report)["register_metric"], m["f1"]) << family;
    EXPECT_TRUE(m.contains("precision_recall_curve")) << family;
  }
  EvaluationRequest as_regression{dir_.path() / "mlp.json", test_, "regression", 0.5, ""};
  EXPECT_THAT(Evaluate(as_regression).status().message(), HasSubstr("cannot be evaluated as regression"));
}

TEST_F(EvaluateTest, LogitrawMarginsGoThroughTheSigmoid) {
  std::filesystem::path model = TrainBinary("binary:logitraw");
  Result<Json> report = Evaluate({model, test_, "binary_classification", 0.5, ""});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Expected from the model's margins: positive when sigmoid(margin) > 0.5, i.e. margin > 0.
  XgboostBooster booster = XgboostBooster::LoadFromFile(model).value();
  LabeledMatrix test = ReadLabelFirstCsv(test_).value();
  std::vector<float> margins = booster.Predict(test.features, test.rows, test.cols, true).value();
  std::vector<double> probabilities;
  for (float m : margins) probabilities.push_back(1.0 / (1.0 + std::exp(-double{m})));
  std::vector<double> labels(test.labels.begin(), test.labels.end());
  ConfusionMatrix cm = BinaryConfusionMatrix(labels, probabilities);
  const Json& m = (*report)["binary_classification_metrics"];
  EXPECT_EQ(m["confusion_matrix"]["1"]["1"].get<int64_t>(), cm.tp);
  EXPECT_EQ(m["confusion_matrix"]["0"]["1"].get<int64_t>(), cm.fp);
  EXPECT_DOUBLE_EQ(m["auc"]["value"].get<double>(), RocAuc(labels, probabilities));
  EXPECT_FALSE(report->contains("register_metric"));
}

TEST_F(EvaluateTest, ThresholdChangesThePredictedLabels) {
  std::filesystem::path model = TrainBinary("binary:logistic");
  EvaluationRequest request{model, test_, "binary_classification", 0.5, ""};
  Json half = Evaluate(request).value()["binary_classification_metrics"]["confusion_matrix"];
  request.threshold = 1.0;  // No probability is above 1: nothing is predicted positive.
  Json none = Evaluate(request).value()["binary_classification_metrics"]["confusion_matrix"];
  EXPECT_EQ(none["1"]["1"], 0);
  EXPECT_EQ(none["0"]["1"], 0);
  EXPECT_EQ(none["0"]["0"].get<int>(), half["0"]["0"].get<int>() + half["0"]["1"].get<int>());
  EXPECT_GT(half["1"]["1"].get<int>(), 0);
  request.threshold = 1.5;
  EXPECT_EQ(Evaluate(request).status().message(), "threshold: expected a probability in [0, 1], got 1.5");
}

TEST_F(EvaluateTest, BadRequestsAreInvalidArguments) {
  std::filesystem::path model = TrainBinary("binary:logistic");
  EXPECT_EQ(Evaluate({model, test_, "clustering", 0.5, ""}).status().message(),
            "kind: expected regression or binary_classification, got \"clustering\"");
  EvaluationRequest wrong_metric{model, test_, "binary_classification", 0.5, ""};
  wrong_metric.register_metric = "mse";
  EXPECT_EQ(Evaluate(wrong_metric).status().message(),
            "register_metric: expected one of accuracy, precision, recall, f1, auc for binary_classification, got "
            "\"mse\"");
  auto three_labels = testing::WriteText(dir_.path() / "three", "0,1,1,1,1\n2,1,1,1,1\n");
  EXPECT_THAT(Evaluate({model, three_labels, "binary_classification", 0.5, ""}).status().message(),
              HasSubstr("data row 2 has label 2; binary classification needs 0 or 1"));
  auto nan_label = testing::WriteText(dir_.path() / "nan", "1,1,1,1,1\nnan,1,1,1,1\n");
  EXPECT_THAT(Evaluate({model, nan_label, "regression", 0.5, ""}).status().message(),
              HasSubstr("test:2:1: the label (field 1) 'nan' is NaN"));
  auto narrow = testing::WriteText(dir_.path() / "narrow", "0,1,1\n");
  EXPECT_THAT(Evaluate({model, narrow, "regression", 0.5, ""}).status().message(),
              HasSubstr("2 feature columns, but the model expects 4"));
  EXPECT_EQ(Evaluate({dir_.path() / "none", test_, "regression", 0.5, ""}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(ValidateEvaluationKind("regression").ok());
}

// Issue 8: all-positive labels registered a model with auc "NaN", while
// all-negative ones failed. A one-class test set fails alike for either class.
TEST_F(EvaluateTest, AllPositiveLabelsRegisterAucNaN) {
  std::filesystem::path model = TrainBinary("binary:logistic");
  auto positives = testing::WriteText(dir_.path() / "positives", "1,1,2,3,4\n1,0,1,0,1\n");
  Status s = Evaluate({model, positives, "binary_classification", 0.5, "auc"}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "test: every row has label 1 (the positive class): one class only, so AUC is undefined; binary "
            "classification needs test rows of both classes (split with stratify: true, or use more rows)");
  auto negatives = testing::WriteText(dir_.path() / "negatives", "0,1,2,3,4\n0,0,1,0,1\n");
  EXPECT_THAT(Evaluate({model, negatives, "binary_classification", 0.5, ""}).status().message(),
              HasSubstr("test: every row has label 0 (the negative class): one class only, so AUC is undefined"));
}

}  // namespace
}  // namespace grove::ml
