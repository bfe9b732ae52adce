#include "ml/post_training_analysis.h"

#include <algorithm>

#include "common/file_util.h"
#include "ml/evaluation.h"
#include "ml/metrics.h"
#include "ml/model.h"
#include "ml/xgboost_booster.h"

namespace grove::ml {

namespace {

std::string Cell(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string Csv(const Json& rows, const std::vector<std::string>& columns) {
  std::string out;
  for (size_t c = 0; c < columns.size(); ++c) out += (c ? "," : "") + columns[c];
  out += "\n";
  for (const Json& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string cell = Cell(row.value(columns[c], Json()));
      if (cell.find_first_of(",\"\n") != std::string::npos) {
        std::string quoted = "\"";
        for (char ch : cell) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        cell = quoted + "\"";
      }
      out += (c ? "," : "") + cell;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

Result<Json> AnalyseModel(const AnalysisRequest& request) {
  if (request.bins < 1 || request.bins > 1000) {
    return Status::InvalidArgument("bins: expected 1 to 1000, got " + std::to_string(request.bins));
  }
  EvaluationRequest scoring;
  scoring.model = request.model;
  scoring.test = request.test;
  scoring.kind = "binary_classification";
  scoring.nthread = request.nthread;
  ASSIGN_OR_RETURN(ScoredTest scored, ScoreTest(scoring));

  Json binned = Json::array();
  for (int b = 0; b < request.bins; ++b) {
    const double threshold = static_cast<double>(b) / request.bins;
    ConfusionMatrix m = BinaryConfusionMatrix(scored.labels, scored.predictions, threshold);
    auto rate = [](int64_t a, int64_t b) { return a + b == 0 ? 0.0 : static_cast<double>(a) / (a + b); };
    binned.push_back({{"threshold", threshold},
                      {"tp", m.tp},
                      {"fp", m.fp},
                      {"fn", m.fn},
                      {"tn", m.tn},
                      {"precision", Precision(m)},
                      {"true_positive_rate", rate(m.tp, m.fn)},
                      {"false_positive_rate", rate(m.fp, m.tn)}});
  }

  Json importance = Json::array();
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(request.model));
  if (!IsModelDocument(bytes)) {
    ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::LoadFromBuffer(bytes));
    ASSIGN_OR_RETURN(auto scores, booster.FeatureScores("weight"));
    std::stable_sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [name, splits] : scores) {
      std::string feature = name;
      size_t index = 0;
      if (name.size() > 1 && name[0] == 'f' && std::all_of(name.begin() + 1, name.end(), ::isdigit) &&
          (index = std::stoul(name.substr(1))) < request.feature_names.size()) {
        feature = request.feature_names[index];
      }
      importance.push_back({{"feature", feature}, {"splits", static_cast<int64_t>(splits)}});
    }
  }
  return Json{{"rows", scored.labels.size()}, {"binned_confusion", binned}, {"feature_importance", importance}};
}

std::string BinnedConfusionCsv(const Json& analysis) {
  return Csv(analysis.at("binned_confusion"),
             {"threshold", "tp", "fp", "fn", "tn", "precision", "true_positive_rate", "false_positive_rate"});
}

std::string FeatureImportanceCsv(const Json& analysis) {
  return Csv(analysis.at("feature_importance"), {"feature", "splits"});
}

}  // namespace grove::ml
