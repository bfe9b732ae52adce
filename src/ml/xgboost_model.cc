#include "ml/xgboost_model.h"

#include "ml/hyperparameter_reader.h"
#include "ml/label_first_csv.h"
#include "ml/xgboost_dmatrix.h"

namespace grove::ml {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string_view Objective(TaskKind task) {
  return task == TaskKind::kRegression ? "reg:squarederror" : "binary:logistic";
}

// Parameters every booster shares, after the objective.
void AddCommon(HyperparameterReader& r, Params* p) {
  p->emplace_back("seed", std::to_string(r.Integer("random_state", 0, {.lo = 0})));
  p->emplace_back("nthread", std::to_string(r.Integer("nthread", 1, {.lo = 1, .hi = 1024})));
}

// The tree parameters (gbtree and dart); `lossguide` forces leaf-wise growth.
void AddTreeParams(HyperparameterReader& r, bool lossguide, Params* p) {
  p->emplace_back("tree_method", "hist");
  p->emplace_back("max_depth", std::to_string(r.Integer("max_depth", 6, {.lo = 0, .hi = 64})));
  p->emplace_back("min_child_weight", FormatNumber(r.Number("min_child_weight", 1, {.lo = 0})));
  p->emplace_back("subsample", FormatNumber(r.Number("subsample", 1, {.lo = 0, .hi = 1, .lo_open = true})));
  p->emplace_back("colsample_bytree",
                  FormatNumber(r.Number("colsample_bytree", 1, {.lo = 0, .hi = 1, .lo_open = true})));
  p->emplace_back("gamma", FormatNumber(r.Number("gamma", 0, {.lo = 0})));
  std::string policy = lossguide ? "lossguide" : r.Choice("grow_policy", "depthwise", {"depthwise", "lossguide"});
  p->emplace_back("grow_policy", policy);
  if (!lossguide) p->emplace_back("max_leaves", std::to_string(r.Integer("max_leaves", 0, {.lo = 0})));
}

}  // namespace

Result<std::unique_ptr<Model>> XgboostModel::Create(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("xgboost", hyperparameters);
  std::unique_ptr<XgboostModel> m(new XgboostModel("xgboost", task, hyperparameters));
  std::string booster = r.Choice("booster", "gbtree", {"gbtree", "gblinear", "dart"});
  m->rounds_ = static_cast<int>(r.Integer("n_estimators", 100, {.lo = 1, .hi = 10000}));
  Params& p = m->params_;
  p.emplace_back("objective", Objective(task));
  p.emplace_back("booster", booster);
  p.emplace_back("eta", FormatNumber(r.Number("learning_rate", 0.3, {.lo = 0, .hi = 1, .lo_open = true})));
  p.emplace_back("alpha", FormatNumber(r.Number("reg_alpha", 0, {.lo = 0})));
  p.emplace_back("lambda", FormatNumber(r.Number("reg_lambda", 1, {.lo = 0})));
  AddCommon(r, &p);
  if (booster == "gblinear") {
    // Read so they are accepted (a search space may list them for every booster), but not passed on.
    Params ignored;
    AddTreeParams(r, false, &ignored);
    for (const auto& [name, value] : ignored) {
      if (name != "tree_method" && r.Has(name)) m->notes_.push_back(name + ": not used by the gblinear booster");
    }
  } else {
    AddTreeParams(r, false, &p);
    auto value = [&p](std::string_view name) {
      for (const auto& [key, v] : p) {
        if (key == name) return v;
      }
      return std::string();
    };
    if (value("max_depth") == "0" && value("grow_policy") == "depthwise") {
      r.AddError("max_depth", "0 (unlimited) needs grow_policy \"lossguide\"");
    }
  }
  double rate_drop = r.Number("rate_drop", 0, {.lo = 0, .hi = 1});
  double skip_drop = r.Number("skip_drop", 0, {.lo = 0, .hi = 1});
  if (booster == "dart") {
    p.emplace_back("rate_drop", FormatNumber(rate_drop));
    p.emplace_back("skip_drop", FormatNumber(skip_drop));
  } else {
    for (const char* name : {"rate_drop", "skip_drop"}) {
      if (r.Has(name)) m->notes_.push_back(std::string(name) + ": used by the dart booster only");
    }
  }
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(std::move(m));
}

Result<std::unique_ptr<Model>> XgboostModel::CreateLightgbm(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("lightgbm", hyperparameters);
  std::unique_ptr<XgboostModel> m(new XgboostModel("lightgbm", task, hyperparameters));
  std::string boosting = r.Choice("boosting", "gbdt", {"gbdt", "dart", "goss"});
  m->rounds_ = static_cast<int>(r.Integer("n_estimators", 100, {.lo = 1, .hi = 10000}));
  Params& p = m->params_;
  p.emplace_back("objective", Objective(task));
  p.emplace_back("booster", boosting == "dart" ? "dart" : "gbtree");
  p.emplace_back("eta", FormatNumber(r.Number("learning_rate", 0.1, {.lo = 0, .hi = 1, .lo_open = true})));
  p.emplace_back("alpha", FormatNumber(r.Number("reg_alpha", 0, {.lo = 0})));
  p.emplace_back("lambda", FormatNumber(r.Number("reg_lambda", 0, {.lo = 0})));
  AddCommon(r, &p);
  p.emplace_back("tree_method", "hist");
  int64_t depth = r.Integer("max_depth", -1, {.lo = -1, .hi = 64});
  p.emplace_back("max_depth", std::to_string(depth < 0 ? 0 : depth));
  p.emplace_back("grow_policy", "lossguide");
  p.emplace_back("max_leaves", std::to_string(r.Integer("num_leaves", 31, {.lo = 2, .hi = 131072})));
  p.emplace_back("min_child_weight", FormatNumber(r.Number("min_child_weight", 1e-3, {.lo = 0})));
  p.emplace_back("subsample", FormatNumber(r.Number("subsample", 1, {.lo = 0, .hi = 1, .lo_open = true})));
  p.emplace_back("colsample_bytree",
                 FormatNumber(r.Number("colsample_bytree", 1, {.lo = 0, .hi = 1, .lo_open = true})));
  p.emplace_back("gamma", FormatNumber(r.Number("min_split_gain", 0, {.lo = 0})));
  r.Integer("min_child_samples", 20, {.lo = 0});
  if (r.Has("min_child_samples")) {
    m->notes_.push_back("min_child_samples: XGBoost has no minimum row count per leaf; not applied");
  }
  if (boosting == "goss") m->notes_.push_back("boosting=goss: uniform row sampling by subsample stands in for GOSS");
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(std::move(m));
}

Status XgboostModel::FitImpl(const Dataset& data) {
  LabeledMatrix m;
  m.rows = data.rows;
  m.cols = data.cols;
  m.features.assign(data.features.begin(), data.features.end());
  m.labels.assign(data.labels.begin(), data.labels.end());
  ASSIGN_OR_RETURN(XgboostDMatrix train, XgboostDMatrix::FromMatrix(m));
  const XgboostDMatrix* cache[] = {&train};
  ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::Create(cache));
  for (const auto& [name, value] : params_) {
    RETURN_IF_ERROR(booster.SetParam(name, value).WithContext(family_ + " parameter " + name));
  }
  for (int i = 0; i < rounds_; ++i) RETURN_IF_ERROR(booster.UpdateOneIter(i, train));
  booster_ = std::move(booster);
  return Status::OK();
}

Result<std::vector<double>> XgboostModel::PredictImpl(const Features& x) const {
  std::vector<float> features(x.values.begin(), x.values.end());
  ASSIGN_OR_RETURN(std::vector<float> out, booster_.Predict(features, x.rows, x.cols));
  if (out.size() != x.rows) return Status::Internal(family_ + ": expected one prediction per row");
  return std::vector<double>(out.begin(), out.end());
}

Result<Json> XgboostModel::SaveState() const {
  ASSIGN_OR_RETURN(std::string bytes, booster_.Save(XgboostBooster::Format::kJson));
  return Json{{"booster", std::move(bytes)}};
}

Status XgboostModel::LoadState(const Json& state) {
  if (!state.is_object() || !state.contains("booster") || !state.at("booster").is_string()) {
    return Status::InvalidArgument("\"booster\" must be the XGBoost model as a string");
  }
  ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::LoadFromBuffer(state.at("booster").get<std::string>()));
  for (const auto& [name, value] : params_) {
    if (name == "nthread") RETURN_IF_ERROR(booster.SetParam(name, value));
  }
  booster_ = std::move(booster);
  return Status::OK();
}

}  // namespace grove::ml
