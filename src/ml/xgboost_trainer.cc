#include "ml/xgboost_trainer.h"

#include <fast_float/fast_float.h>

#include <optional>

#include "ml/label_first_csv.h"
#include "ml/xgboost_booster.h"
#include "ml/xgboost_dmatrix.h"
#include "ml/xgboost_params.h"

namespace grove::ml {

Json TrainSummary::FinalMetrics() const {
  Json out = Json::object();
  for (const auto& [name, values] : metrics.items()) {
    if (values.is_array() && !values.empty()) out[name] = values.back();
  }
  return out;
}

Json TrainSummary::StepMetadata() const {
  return {{"algorithm", "xgboost"}, {"rounds", rounds}, {"best_iteration", best_iteration},
          {"final_metrics", FinalMetrics()}};
}
namespace {

// One CSV data set in XGBoost's hands.
struct DataSet {
  LabeledMatrix matrix;
  std::vector<float> weights;  // With csv_weights: the CSV's second column.
  XgboostDMatrix dmatrix;
};

// Moves the first feature column (SageMaker's csv_weights column) out of `m`.
Result<std::vector<float>> TakeWeights(std::string_view name, LabeledMatrix* m) {
  if (m->cols < 2) {
    return Status::InvalidArgument(std::string(name) + ": csv_weights needs a weight column and at least one feature");
  }
  std::vector<float> weights(m->rows);
  std::vector<float> features;
  features.reserve(m->rows * (m->cols - 1));
  for (size_t r = 0; r < m->rows; ++r) {
    weights[r] = m->Row(r)[0];
    features.insert(features.end(), m->Row(r) + 1, m->Row(r) + m->cols);
  }
  m->features = std::move(features);
  --m->cols;
  return weights;
}

// Reads the data set at `path`; errors name it `name` (the request field), not
// the path, which in a pipeline is an artifact's.
Result<DataSet> LoadDataSet(const std::filesystem::path& path, std::string_view name, bool csv_weights) {
  DataSet data;
  ASSIGN_OR_RETURN(data.matrix, ReadLabelFirstCsv(path, name));
  if (csv_weights) {
    ASSIGN_OR_RETURN(data.weights, TakeWeights(name, &data.matrix));
  }
  Result<XgboostDMatrix> dmatrix = XgboostDMatrix::FromMatrix(data.matrix, data.weights);
  if (!dmatrix.ok()) return dmatrix.status().WithContext(std::string(name));
  data.dmatrix = std::move(dmatrix).value();
  return data;
}

void Log(const TrainRequest& request, const std::string& line) {
  if (request.log) request.log(line);
}

Result<XgboostBooster> MakeBooster(const XgboostParams& params, std::span<const XgboostDMatrix* const> cache,
                                   const TrainRequest& request) {
  ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::Create(cache));
  std::string summary = "xgboost: num_round=" + std::to_string(params.num_round);
  for (const auto& [name, value] : params.booster_params) {
    RETURN_IF_ERROR(booster.SetParam(name, value).WithContext("hyperparameters." + name));
    summary += " " + name + "=" + value;
  }
  Log(request, summary);
  for (const std::string& note : params.notes) Log(request, "note: " + note);
  return booster;
}

// Watches the last validation metric and says when to stop (XGBoost's
// EarlyStopping callback: strict improvement, stop after `patience` rounds without).
class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}

  // Records round `iteration`; returns true when this round is the new best.
  bool Record(int iteration, const std::vector<std::pair<std::string, double>>& scores) {
    const std::pair<std::string, double>* watched = nullptr;
    for (const auto& score : scores) {
      if (score.first.rfind("validation-", 0) == 0) watched = &score;
    }
    if (watched == nullptr) return false;
    if (metric_.empty()) {
      metric_ = watched->first;
      maximize_ = MetricIsMaximized(metric_.substr(sizeof("validation-") - 1));
    }
    double v = watched->second;
    bool better = best_iteration_ < 0 || (maximize_ ? v > best_score_ : v < best_score_);
    if (better) {
      best_iteration_ = iteration;
      best_score_ = v;
    }
    return better;
  }
  bool ShouldStop(int iteration) const { return best_iteration_ >= 0 && iteration - best_iteration_ >= patience_; }
  int best_iteration() const { return best_iteration_; }
  double best_score() const { return best_score_; }
  const std::string& metric() const { return metric_; }

 private:
  int patience_;
  std::string metric_;
  bool maximize_ = false;
  int best_iteration_ = -1;
  double best_score_ = 0;
};

void AppendMetrics(const std::vector<std::pair<std::string, double>>& scores, Json* metrics) {
  for (const auto& [name, value] : scores) {
    if (!metrics->contains(name)) (*metrics)[name] = Json::array();
    (*metrics)[name].push_back(value);
  }
}

bool IsLinear(const XgboostParams& params) {
  for (const auto& [name, value] : params.booster_params) {
    if (name == "booster" && value == "gblinear") return true;
  }
  return false;
}

// The boosting loop. Fills `summary`; with early stopping, `best_linear`
// receives a snapshot of a gblinear model at its best round (trees are sliced instead).
Status RunRounds(const XgboostParams& params, const TrainRequest& request, XgboostBooster* booster,
                 const std::vector<const XgboostDMatrix*>& sets, TrainSummary* summary,
                 std::optional<std::string>* best_linear) {
  const std::vector<std::string> names = {"train", "validation"};
  std::optional<EarlyStopping> stopping;
  if (params.early_stopping_rounds > 0) stopping.emplace(params.early_stopping_rounds);
  for (int i = 0; i < params.num_round; ++i) {
    if (request.stop != nullptr && request.stop->load()) {
      return Status::Cancelled("training stopped after " + std::to_string(i) + " of " +
                               std::to_string(params.num_round) + " rounds");
    }
    Status updated = booster->UpdateOneIter(i, *sets[0]);
    // XGBoost checks parameter values against each other and the data when the
    // first round configures it: a failure there is the caller's input.
    if (!updated.ok() && i == 0)
      return Status::InvalidArgument("XGBoost cannot train with these hyperparameters: " + updated.message());
    RETURN_IF_ERROR(updated);
    summary->rounds = i + 1;
    ASSIGN_OR_RETURN(std::string line,
                     booster->EvalOneIter(i, sets, std::span<const std::string>(names.data(), sets.size())));
    Log(request, line);
    ASSIGN_OR_RETURN(auto scores, ParseEvalLine(line));
    AppendMetrics(scores, &summary->metrics);
    if (!stopping) continue;
    if (stopping->Record(i, scores) && IsLinear(params)) {
      ASSIGN_OR_RETURN(*best_linear, booster->Save(XgboostBooster::Format::kUbjson));
    }
    if (stopping->ShouldStop(i)) {
      Log(request, "early stopping: best round " + std::to_string(stopping->best_iteration()) + ", " +
                       stopping->metric() + "=" + std::to_string(stopping->best_score()));
      break;
    }
  }
  if (stopping) {
    summary->best_iteration = stopping->best_iteration();
    summary->best_score = stopping->best_score();
    summary->stopping_metric = stopping->metric();
  }
  return Status::OK();
}

// Truncates the model to its best round (early stopping), tags it and writes it.
Status SaveModel(XgboostBooster booster, const std::optional<std::string>& best_linear, TrainSummary* summary,
                 const std::filesystem::path& out) {
  summary->model_rounds = summary->rounds;
  if (summary->best_iteration >= 0) {
    if (summary->best_iteration + 1 < summary->rounds) {
      if (best_linear) {
        ASSIGN_OR_RETURN(booster, XgboostBooster::LoadFromBuffer(*best_linear));
      } else {
        ASSIGN_OR_RETURN(booster, booster.Slice(0, summary->best_iteration + 1));
      }
      summary->model_rounds = summary->best_iteration + 1;
    }
    RETURN_IF_ERROR(booster.SetAttr("best_iteration", std::to_string(summary->best_iteration)));
    char score[32];
    std::snprintf(score, sizeof(score), "%.17g", summary->best_score);
    RETURN_IF_ERROR(booster.SetAttr("best_score", score));
  }
  return booster.SaveToFile(out);
}

}  // namespace

Status ValidateXgboostHyperparameters(const Json& hyperparameters) {
  return MapXgboostHyperparameters(hyperparameters).status();
}

Result<TrainSummary> TrainXgboost(const TrainRequest& request) {
  ASSIGN_OR_RETURN(XgboostParams params, MapXgboostHyperparameters(request.hyperparameters));
  if (params.early_stopping_rounds > 0 && request.validation.empty()) {
    return Status::InvalidArgument("hyperparameters.early_stopping_rounds: needs a validation data set");
  }
  if (request.model_out.empty()) return Status::InvalidArgument("no model output path");
  if (request.nthread < 0) return Status::InvalidArgument("nthread: expected 0 (XGBoost's default) or more");
  if (request.nthread > 0 && !request.hyperparameters.contains("nthread")) {
    params.booster_params.emplace_back("nthread", std::to_string(request.nthread));
  }
  ASSIGN_OR_RETURN(DataSet train, LoadDataSet(request.train, "train", params.csv_weights));
  std::optional<DataSet> validation;
  std::vector<const XgboostDMatrix*> sets = {&train.dmatrix};
  if (!request.validation.empty()) {
    ASSIGN_OR_RETURN(validation, LoadDataSet(request.validation, "validation", params.csv_weights));
    if (validation->matrix.cols != train.matrix.cols) {
      return Status::InvalidArgument("validation: " + std::to_string(validation->matrix.cols) +
                                     " feature columns, but train has " + std::to_string(train.matrix.cols));
    }
    sets.push_back(&validation->dmatrix);
  }
  ASSIGN_OR_RETURN(XgboostBooster booster, MakeBooster(params, sets, request));
  TrainSummary summary;
  std::optional<std::string> best_linear;
  RETURN_IF_ERROR(RunRounds(params, request, &booster, sets, &summary, &best_linear));
  RETURN_IF_ERROR(SaveModel(std::move(booster), best_linear, &summary, request.model_out));
  return summary;
}

Result<std::vector<std::pair<std::string, double>>> ParseEvalLine(std::string_view line) {
  std::vector<std::pair<std::string, double>> out;
  size_t pos = 0;
  bool first = true;
  while (pos < line.size()) {
    size_t tab = line.find('\t', pos);
    std::string_view item = line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
    pos = tab == std::string_view::npos ? line.size() : tab + 1;
    if (first && !item.empty() && item.front() == '[') {  // The "[round]" prefix.
      first = false;
      continue;
    }
    first = false;
    if (item.empty()) continue;
    size_t colon = item.rfind(':');
    double value = 0;
    bool parsed = false;
    if (colon != std::string_view::npos) {
      auto result = fast_float::from_chars(item.data() + colon + 1, item.data() + item.size(), value);
      parsed = result.ec == std::errc() && result.ptr == item.data() + item.size();
    }
    if (!parsed) return Status::Internal("cannot read XGBoost evaluation \"" + std::string(item) + "\"");
    out.emplace_back(std::string(item.substr(0, colon)), value);
  }
  return out;
}

}  // namespace grove::ml
