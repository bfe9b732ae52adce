#include "ml/model_quality.h"

#include <cmath>
#include <vector>

#include "ml/hyperparameter_value.h"
#include "ml/label_first_csv.h"
#include "ml/metrics.h"

namespace grove::ml {

namespace {

constexpr const char* kRegressionMetrics = "regression_metrics";
constexpr const char* kBinaryMetrics = "binary_classification_metrics";
constexpr const char* kRegressionConstraints = "regression_constraints";
constexpr const char* kBinaryConstraints = "binary_classification_constraints";

Json QualityMetric(double value) {
  return Json{{"value", std::isfinite(value) ? Json(value) : Json("NaN")}, {"standard_deviation", "NaN"}};
}

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

// F-beta from precision and recall; 0 where it would divide by zero.
double FBeta(double precision, double recall, double beta) {
  double b2 = beta * beta;
  return Ratio((1 + b2) * precision * recall, b2 * precision + recall);
}

// The metric set of Model Monitor from a report's confusion matrix, auc and curves.
Result<Json> CompleteBinaryMetrics(const Json& report) {
  if (!report.contains("confusion_matrix")) return Status::InvalidArgument("the report has no confusion_matrix");
  const Json& cm = report["confusion_matrix"];
  auto cell = [&cm](const char* actual, const char* predicted) {
    return cm.contains(actual) && cm[actual].contains(predicted) && cm[actual][predicted].is_number()
               ? cm[actual][predicted].get<double>()
               : 0.0;
  };
  const double tn = cell("0", "0"), fp = cell("0", "1"), fn = cell("1", "0"), tp = cell("1", "1");
  const double n = tn + fp + fn + tp;
  const double positives = tp + fn;
  const double precision = Ratio(tp, tp + fp);
  const double recall = Ratio(tp, positives);
  // The constant classifier that always predicts 1.
  const double c_precision = Ratio(positives, n);
  const double c_recall = positives > 0 ? 1.0 : 0.0;
  Json m = Json::object();
  m["accuracy"] = QualityMetric(n > 0 ? (tp + tn) / n : NAN);
  m["accuracy_best_constant_classifier"] = QualityMetric(n > 0 ? positives / n : NAN);
  m["auc"] = report.contains("auc") ? report["auc"] : QualityMetric(NAN);
  m["confusion_matrix"] = cm;
  m["f0_5"] = QualityMetric(FBeta(precision, recall, 0.5));
  m["f0_5_best_constant_classifier"] = QualityMetric(FBeta(c_precision, c_recall, 0.5));
  m["f1"] = QualityMetric(FBeta(precision, recall, 1));
  m["f1_best_constant_classifier"] = QualityMetric(FBeta(c_precision, c_recall, 1));
  m["f2"] = QualityMetric(FBeta(precision, recall, 2));
  m["f2_best_constant_classifier"] = QualityMetric(FBeta(c_precision, c_recall, 2));
  m["false_negative_rate"] = QualityMetric(Ratio(fn, positives));
  m["false_positive_rate"] = QualityMetric(Ratio(fp, fp + tn));
  m["precision"] = QualityMetric(precision);
  m["precision_best_constant_classifier"] = QualityMetric(c_precision);
  m["precision_recall_curve"] = report.value("precision_recall_curve", Json::object());
  m["recall"] = QualityMetric(recall);
  m["recall_best_constant_classifier"] = QualityMetric(c_recall);
  m["receiver_operating_characteristic_curve"] = report.value("receiver_operating_characteristic_curve", Json::object());
  m["true_negative_rate"] = QualityMetric(Ratio(tn, tn + fp));
  m["true_positive_rate"] = QualityMetric(recall);
  return m;
}

// A metric's numeric value, if it has one.
std::optional<double> MetricValue(const Json& metric) {
  if (metric.is_object() && metric.contains("value") && metric["value"].is_number()) {
    return metric["value"].get<double>();
  }
  return std::nullopt;
}

bool Breaks(const std::string& op, double value, double threshold) {
  if (op == "GreaterThanThreshold") return value > threshold;
  if (op == "GreaterThanOrEqualToThreshold") return value >= threshold;
  if (op == "LessThanThreshold") return value < threshold;
  return value <= threshold;  // LessThanOrEqualToThreshold
}

bool IsOperator(const std::string& op) {
  return op == "GreaterThanThreshold" || op == "GreaterThanOrEqualToThreshold" || op == "LessThanThreshold" ||
         op == "LessThanOrEqualToThreshold";
}

}  // namespace

Result<std::string> EvaluationKindOf(const std::string& problem_type) {
  if (problem_type == "Regression") return std::string("regression");
  if (problem_type == "BinaryClassification") return std::string("binary_classification");
  return Status::InvalidArgument("problem_type: expected Regression or BinaryClassification, got \"" + problem_type +
                                 "\"");
}

Result<Json> ModelQualityStatistics(const Json& evaluation_report, int64_t item_count) {
  Json out = {{"version", 0.0}, {"dataset", {{"item_count", item_count}}}};
  if (evaluation_report.contains(kRegressionMetrics)) {
    const Json& r = evaluation_report[kRegressionMetrics];
    Json metrics = Json::object();
    for (const char* key : {"mae", "mse", "rmse", "r2"}) {
      if (r.contains(key)) metrics[key] = r[key];
    }
    out[kRegressionMetrics] = std::move(metrics);
    return out;
  }
  if (evaluation_report.contains(kBinaryMetrics)) {
    ASSIGN_OR_RETURN(Json metrics, CompleteBinaryMetrics(evaluation_report[kBinaryMetrics]));
    out[kBinaryMetrics] = std::move(metrics);
    return out;
  }
  return Status::InvalidArgument("the evaluation report has neither regression_metrics nor "
                                 "binary_classification_metrics");
}

Json RegressionQualityStatistics(std::span<const double> y, std::span<const double> y_hat) {
  return ModelQualityStatistics(RegressionReport(y, y_hat), static_cast<int64_t>(y.size())).value();
}

Json BinaryClassificationQualityStatistics(std::span<const double> labels, std::span<const double> probabilities,
                                           double threshold) {
  return ModelQualityStatistics(BinaryClassificationReport(labels, probabilities, threshold),
                                static_cast<int64_t>(labels.size()))
      .value();
}

Result<Json> ModelQualityOfModel(const EvaluationRequest& request) {
  EvaluationRequest plain = request;
  plain.register_metric.clear();
  ASSIGN_OR_RETURN(Json report, Evaluate(plain));
  ASSIGN_OR_RETURN(LabeledMatrix test, ReadLabelFirstCsv(request.test, "dataset"));
  return ModelQualityStatistics(report, static_cast<int64_t>(test.rows));
}

Json SuggestModelQualityConstraints(const Json& statistics) {
  Json out = {{"version", 0.0}};
  if (statistics.contains(kRegressionMetrics)) {
    const Json& m = statistics[kRegressionMetrics];
    Json c = Json::object();
    for (const char* key : {"mae", "mse", "rmse", "r2"}) {
      std::optional<double> v = m.contains(key) ? MetricValue(m[key]) : std::nullopt;
      if (!v) continue;
      c[key] = {{"threshold", *v},
                {"comparison_operator", std::string(key) == "r2" ? "LessThanThreshold" : "GreaterThanThreshold"}};
    }
    out[kRegressionConstraints] = std::move(c);
  }
  if (statistics.contains(kBinaryMetrics)) {
    const Json& m = statistics[kBinaryMetrics];
    Json c = Json::object();
    for (const char* key : {"recall", "precision", "accuracy", "true_positive_rate", "true_negative_rate",
                            "false_positive_rate", "false_negative_rate", "auc", "f0_5", "f1", "f2"}) {
      std::optional<double> v = m.contains(key) ? MetricValue(m[key]) : std::nullopt;
      if (!v) continue;
      bool error = std::string(key).starts_with("false_");
      c[key] = {{"threshold", *v}, {"comparison_operator", error ? "GreaterThanThreshold" : "LessThanThreshold"}};
    }
    out[kBinaryConstraints] = std::move(c);
  }
  return out;
}

Result<Json> CheckModelQuality(const Json& statistics, const Json& constraints) {
  Json violations = Json::array();
  bool any = false;
  for (auto [section, metrics_key] : {std::pair{kRegressionConstraints, kRegressionMetrics},
                                      std::pair{kBinaryConstraints, kBinaryMetrics}}) {
    if (!constraints.is_object() || !constraints.contains(section)) continue;
    any = true;
    const Json& c = constraints[section];
    if (!c.is_object()) return Status::InvalidArgument(std::string("baseline constraints: ") + section + ": expected an object");
    if (!statistics.contains(metrics_key)) {
      return Status::InvalidArgument(std::string("the baseline constraints are ") + section +
                                     " but the statistics have no " + metrics_key +
                                     " (is problem_type the baseline's?)");
    }
    const Json& metrics = statistics[metrics_key];
    for (const auto& [name, constraint] : c.items()) {
      const std::string where = std::string("baseline constraints: ") + section + "." + name;
      if (!constraint.is_object() || !constraint.contains("threshold") || !constraint["threshold"].is_number() ||
          !constraint.contains("comparison_operator") || !constraint["comparison_operator"].is_string()) {
        return Status::InvalidArgument(where + ": expected {threshold: number, comparison_operator: string}");
      }
      const std::string op = constraint["comparison_operator"].get<std::string>();
      if (!IsOperator(op)) {
        return Status::InvalidArgument(where + ": unknown comparison_operator \"" + op +
                                       "\" (expected GreaterThanThreshold, LessThanThreshold, "
                                       "GreaterThanOrEqualToThreshold or LessThanOrEqualToThreshold)");
      }
      if (!metrics.contains(name)) return Status::InvalidArgument(where + ": the statistics have no metric " + name);
      std::optional<double> value = MetricValue(metrics[name]);
      if (!value) continue;  // NaN: nothing to compare.
      double threshold = constraint["threshold"].get<double>();
      if (!Breaks(op, *value, threshold)) continue;
      violations.push_back({{"metric_name", name},
                            {"constraint_check_type", op},
                            {"description", "Metric " + name + " with " + FormatNumber(*value) + " was " + op + " " +
                                                FormatNumber(threshold)}});
    }
  }
  if (!any) {
    return Status::InvalidArgument("baseline constraints: expected regression_constraints or "
                                   "binary_classification_constraints");
  }
  return Json{{"violations", std::move(violations)}};
}

}  // namespace grove::ml
