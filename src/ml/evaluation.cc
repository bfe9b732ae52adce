#include "ml/evaluation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/file_util.h"
#include "ml/hyperparameter_value.h"
#include "ml/label_first_csv.h"
#include "ml/metrics.h"
#include "ml/model_registry.h"
#include "ml/xgboost_booster.h"

namespace grove::ml {
namespace {

constexpr const char* kRegressionKey = "regression_metrics";
constexpr const char* kClassificationKey = "binary_classification_metrics";

// {"value": v, "standard_deviation": s}; non-finite numbers are written "NaN", as SageMaker writes them.
Json Metric(double value, double standard_deviation = NAN) {
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json("NaN"); };
  return Json{{"value", number(value)}, {"standard_deviation", number(standard_deviation)}};
}

// The residuals section of a regression report: a histogram of label -
// prediction over kResidualBins equal bins spanning [min, max] (all residuals
// in the first bin when they are equal), and [prediction, residual] of every
// ceil(n / kMaxResidualPoints)-th row in test-set order. Non-finite residuals
// are left out of the histogram.
constexpr size_t kResidualBins = 20;
constexpr size_t kMaxResidualPoints = 500;

Json ResidualsSection(std::span<const double> y, std::span<const double> y_hat) {
  const size_t n = y.size();
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    const double r = y[i] - y_hat[i];
    if (!std::isfinite(r)) continue;
    lo = std::min(lo, r);
    hi = std::max(hi, r);
  }
  if (lo > hi) lo = hi = 0;  // No finite residual.
  const double width = (hi - lo) / kResidualBins;
  Json edges = Json::array();
  for (size_t b = 0; b <= kResidualBins; ++b) edges.push_back(b == kResidualBins ? hi : lo + width * double(b));
  std::vector<int64_t> counts(kResidualBins, 0);
  for (size_t i = 0; i < n; ++i) {
    const double r = y[i] - y_hat[i];
    if (!std::isfinite(r)) continue;
    const size_t bin = width > 0 ? static_cast<size_t>((r - lo) / width) : 0;
    ++counts[std::min(bin, kResidualBins - 1)];
  }
  Json points = Json::array();
  const size_t stride = std::max<size_t>(1, (n + kMaxResidualPoints - 1) / kMaxResidualPoints);
  for (size_t i = 0; i < n; i += stride) points.push_back(Json::array({y_hat[i], y[i] - y_hat[i]}));
  return Json{{"histogram", {{"edges", std::move(edges)}, {"counts", counts}}}, {"points", std::move(points)}};
}

Json CurveArray(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(v);
  return out;
}

Status ValidateRegisterMetric(const EvaluationRequest& request) {
  if (request.register_metric.empty()) return Status::OK();
  static const std::vector<std::string> kRegression = {"mse", "rmse", "mae", "r2"};
  static const std::vector<std::string> kClassification = {"accuracy", "precision", "recall", "f1", "auc"};
  const auto& names = request.kind == "regression" ? kRegression : kClassification;
  if (std::find(names.begin(), names.end(), request.register_metric) != names.end()) return Status::OK();
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("register_metric: expected one of " + list + " for " + request.kind + ", got \"" +
                                 request.register_metric + "\"");
}

// Positive-class probabilities from the model's raw outputs.
Result<std::vector<double>> Probabilities(const XgboostBooster& booster, const std::vector<float>& outputs,
                                          size_t rows) {
  ASSIGN_OR_RETURN(std::string objective, booster.Objective());
  std::vector<double> out(rows);
  if (objective == "multi:softprob" && outputs.size() == 2 * rows) {
    for (size_t r = 0; r < rows; ++r) out[r] = outputs[2 * r + 1];
    return out;
  }
  if (outputs.size() != rows) {
    return Status::InvalidArgument("the model (" + objective + ") gives " + std::to_string(outputs.size() / rows) +
                                   " outputs per row; binary classification needs one probability");
  }
  bool margins = objective == "binary:logitraw";
  for (size_t r = 0; r < rows; ++r) out[r] = margins ? 1.0 / (1.0 + std::exp(-double{outputs[r]})) : outputs[r];
  return out;
}

// The model's predictions for `test`, as probabilities for classification.
Result<std::vector<double>> Predict(const XgboostBooster& booster, const LabeledMatrix& test,
                                    const EvaluationRequest& request) {
  ASSIGN_OR_RETURN(size_t features, booster.NumFeatures());
  if (features != test.cols) {
    return Status::InvalidArgument("test: " + std::to_string(test.cols) + " feature columns, but the model expects " +
                                   std::to_string(features));
  }
  ASSIGN_OR_RETURN(std::vector<float> outputs, booster.Predict(test.features, test.rows, test.cols));
  std::vector<double> predictions;
  if (request.kind == "binary_classification") {
    ASSIGN_OR_RETURN(predictions, Probabilities(booster, outputs, test.rows));
  } else if (outputs.size() != test.rows) {
    return Status::InvalidArgument("the model gives " + std::to_string(outputs.size() / test.rows) +
                                   " outputs per row; regression needs one");
  } else {
    predictions.assign(outputs.begin(), outputs.end());
  }
  if (std::any_of(predictions.begin(), predictions.end(), [](double p) { return std::isnan(p); })) {
    return Status::Internal("the model predicted NaN for a row of test");
  }
  return predictions;
}

// The predictions of a Grove model document (any family), as Predict gives them for XGBoost.
Result<std::vector<double>> PredictDocument(std::string_view bytes, const LabeledMatrix& test,
                                            const EvaluationRequest& request) {
  ASSIGN_OR_RETURN(std::unique_ptr<Model> model, ModelRegistry::BuiltIn().Load(bytes));
  bool classification = request.kind == "binary_classification";
  if (classification != (model->task() == TaskKind::kBinaryClassification)) {
    return Status::InvalidArgument("model: a " + std::string(TaskKindName(model->task())) +
                                   " model cannot be evaluated as " + request.kind);
  }
  Dataset data = Dataset::FromLabeledMatrix(test);
  Result<std::vector<double>> out = classification ? model->PredictProba(data.View()) : model->Predict(data.View());
  if (!out.ok()) return out.status().WithContext("test");
  return out;
}

// Labels must be finite; for classification 0 or 1, and both, or AUC is undefined.
Status CheckLabels(std::span<const float> labels, bool binary) {
  size_t positives = 0;
  for (size_t r = 0; r < labels.size(); ++r) {
    bool ok = binary ? (labels[r] == 0.0f || labels[r] == 1.0f) : std::isfinite(labels[r]);
    if (!ok) {
      return Status::InvalidArgument("test: data row " + std::to_string(r + 1) + " has label " +
                                     FormatNumber(labels[r]) +
                                     (binary ? "; binary classification needs 0 or 1" : "; expected a finite number"));
    }
    positives += labels[r] == 1.0f;
  }
  if (!binary || (positives > 0 && positives < labels.size())) return Status::OK();
  return Status::InvalidArgument(std::string("test: every row has label ") +
                                 (positives > 0 ? "1 (the positive class)" : "0 (the negative class)") +
                                 ": one class only, so AUC is undefined; binary classification needs test rows of "
                                 "both classes (split with stratify: true, or use more rows)");
}

}  // namespace

Status ValidateEvaluationKind(const std::string& kind) {
  if (kind == "regression" || kind == "binary_classification") return Status::OK();
  return Status::InvalidArgument("kind: expected regression or binary_classification, got \"" + kind + "\"");
}

Json RegressionReport(std::span<const double> y, std::span<const double> y_hat) {
  Json metrics = Json::object();
  metrics["mse"] = Metric(MeanSquaredError(y, y_hat), ResidualStandardDeviation(y, y_hat));
  metrics["rmse"] = Metric(RootMeanSquaredError(y, y_hat));
  metrics["mae"] = Metric(MeanAbsoluteError(y, y_hat));
  metrics["r2"] = Metric(R2Score(y, y_hat));
  return Json{{kRegressionKey, std::move(metrics)}, {"residuals", ResidualsSection(y, y_hat)}};
}

Json BinaryClassificationReport(std::span<const double> labels, std::span<const double> probabilities,
                                double threshold) {
  ConfusionMatrix m = BinaryConfusionMatrix(labels, probabilities, threshold);
  RocCurve roc = ComputeRocCurve(labels, probabilities);
  CapCurve(&roc.false_positive_rates, &roc.true_positive_rates);
  PrecisionRecallCurve pr = ComputePrecisionRecallCurve(labels, probabilities);
  CapCurve(&pr.precisions, &pr.recalls);
  Json metrics = Json::object();
  metrics["accuracy"] = Metric(Accuracy(m));
  metrics["precision"] = Metric(Precision(m));
  metrics["recall"] = Metric(Recall(m));
  metrics["f1"] = Metric(F1Score(m));
  metrics["auc"] = Metric(RocAuc(labels, probabilities));
  metrics["confusion_matrix"] = Json{{"0", {{"0", m.tn}, {"1", m.fp}}}, {"1", {{"0", m.fn}, {"1", m.tp}}}};
  metrics["receiver_operating_characteristic_curve"] =
      Json{{"false_positive_rates", CurveArray(roc.false_positive_rates)},
           {"true_positive_rates", CurveArray(roc.true_positive_rates)}};
  metrics["precision_recall_curve"] =
      Json{{"precisions", CurveArray(pr.precisions)}, {"recalls", CurveArray(pr.recalls)}};
  return Json{{kClassificationKey, std::move(metrics)}};
}

Result<ScoredTest> ScoreTest(const EvaluationRequest& request) {
  RETURN_IF_ERROR(ValidateEvaluationKind(request.kind));
  bool classification = request.kind == "binary_classification";
  if (request.nthread < 0) return Status::InvalidArgument("nthread: expected 0 (XGBoost's default) or more");
  ASSIGN_OR_RETURN(std::string model_bytes, ReadFile(request.model));
  ASSIGN_OR_RETURN(LabeledMatrix test, ReadLabelFirstCsv(request.test, "test"));
  RETURN_IF_ERROR(CheckLabels(test.labels, classification));
  ScoredTest scored;
  if (IsModelDocument(model_bytes)) {
    ASSIGN_OR_RETURN(scored.predictions, PredictDocument(model_bytes, test, request));
  } else {
    ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::LoadFromFile(request.model));
    if (request.nthread > 0) RETURN_IF_ERROR(booster.SetParam("nthread", std::to_string(request.nthread)));
    ASSIGN_OR_RETURN(scored.predictions, Predict(booster, test, request));
  }
  scored.labels.assign(test.labels.begin(), test.labels.end());
  return scored;
}

Result<Json> Evaluate(const EvaluationRequest& request) {
  RETURN_IF_ERROR(ValidateEvaluationKind(request.kind));
  RETURN_IF_ERROR(ValidateRegisterMetric(request));
  bool classification = request.kind == "binary_classification";
  if (classification && !(request.threshold >= 0.0 && request.threshold <= 1.0)) {
    return Status::InvalidArgument("threshold: expected a probability in [0, 1], got " +
                                   Json(request.threshold).dump());
  }
  ASSIGN_OR_RETURN(ScoredTest scored, ScoreTest(request));
  Json report;
  if (classification) {
    report = BinaryClassificationReport(scored.labels, scored.predictions, request.threshold);
  } else {
    report = RegressionReport(scored.labels, scored.predictions);
  }
  if (!request.register_metric.empty()) {
    const char* key = classification ? kClassificationKey : kRegressionKey;
    report["register_metric"] = report[key][request.register_metric];
  }
  return report;
}

}  // namespace grove::ml
