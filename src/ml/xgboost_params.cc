#include "ml/xgboost_params.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <optional>

#include "common/edit_distance.h"
#include "ml/hyperparameter_value.h"

namespace grove::ml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Kind { kInt, kNumber, kBool, kChoice, kText, kMetrics, kUpdaters, kMonotone, kInteraction };
// Who consumes the value: XGBoost itself, Grove's training loop, or nobody.
enum class Use { kXgboost, kTrainer, kIgnored };

struct Spec {
  std::string_view name;
  Kind kind;
  NumericRange range = {};
  std::vector<std::string_view> choices = {};
  Use use = Use::kXgboost;
  std::string_view note = {};
};

constexpr NumericRange kNonNegative{0, kInf, false, false};
constexpr NumericRange kPositive{0, kInf, true, false};
constexpr NumericRange kUnitOpenClosed{0, 1, true, false};
constexpr NumericRange kUnitClosed{0, 1, false, false};
constexpr NumericRange kAtLeastOne{1, kInf, false, false};

// clang-format off
const std::vector<std::string_view> kObjectives = {
    "reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:logistic", "reg:pseudohubererror",
    "reg:absoluteerror", "reg:gamma", "reg:tweedie", "binary:logistic", "binary:logitraw", "binary:hinge",
    "count:poisson", "survival:cox", "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map"};

const std::vector<std::string_view> kMetrics = {
    "rmse", "rmsle", "mae", "mape", "mphe", "logloss", "error", "merror", "mlogloss", "auc", "aucpr", "ndcg", "map",
    "pre", "poisson-nloglik", "gamma-nloglik", "cox-nloglik", "gamma-deviance", "tweedie-nloglik"};

const std::vector<std::string_view> kUpdaters = {
    "grow_colmaker", "grow_histmaker", "grow_quantile_histmaker", "grow_gpu_hist", "sync", "refresh", "prune",
    "shotgun", "coord_descent", "gpu_coord_descent"};
// clang-format on

// Alphabetical: the SageMaker built-in XGBoost names that XGBoost 1.7 can honour.
const std::vector<Spec>& Specs() {
  static const std::vector<Spec> kSpecs = {
      {"_tuning_objective_metric", Kind::kText, {}, {}, Use::kIgnored, "set by SageMaker tuning jobs for the tuner"},
      {"alpha", Kind::kNumber, kNonNegative},
      {"base_score", Kind::kNumber},
      {"booster", Kind::kChoice, {}, {"gbtree", "gblinear", "dart"}},
      {"colsample_bylevel", Kind::kNumber, kUnitOpenClosed},
      {"colsample_bynode", Kind::kNumber, kUnitOpenClosed},
      {"colsample_bytree", Kind::kNumber, kUnitOpenClosed},
      {"csv_weights", Kind::kBool, {}, {}, Use::kTrainer},
      {"deterministic_histogram",
       Kind::kBool,
       {},
       {},
       Use::kIgnored,
       "only gpu_hist reads it; CPU histograms are always deterministic"},
      {"early_stopping_rounds", Kind::kInt, kAtLeastOne, {}, Use::kTrainer},
      {"eta", Kind::kNumber, kUnitOpenClosed},
      {"eval_metric", Kind::kMetrics},
      {"gamma", Kind::kNumber, kNonNegative},
      {"grow_policy", Kind::kChoice, {}, {"depthwise", "lossguide"}},
      {"interaction_constraints", Kind::kInteraction},
      {"lambda", Kind::kNumber, kNonNegative},
      {"lambda_bias", Kind::kNumber, kNonNegative, {}, Use::kIgnored, "XGBoost 1.x has no bias regularisation"},
      {"max_bin", Kind::kInt, {2, kInf, false, false}},
      {"max_cat_to_onehot", Kind::kInt, kAtLeastOne},
      {"max_delta_step", Kind::kNumber, kNonNegative},
      {"max_depth", Kind::kInt, kNonNegative},
      {"max_leaves", Kind::kInt, kNonNegative},
      {"min_child_weight", Kind::kNumber, kNonNegative},
      {"monotone_constraints", Kind::kMonotone},
      {"normalize_type", Kind::kChoice, {}, {"tree", "forest"}},
      {"nthread", Kind::kInt, kAtLeastOne},
      {"num_class", Kind::kInt, kAtLeastOne},
      {"num_parallel_tree", Kind::kInt, kAtLeastOne},
      {"num_round", Kind::kInt, kAtLeastOne, {}, Use::kTrainer},
      {"objective", Kind::kChoice, {}, kObjectives},
      {"one_drop", Kind::kBool},
      {"process_type", Kind::kChoice, {}, {"default", "update"}},
      {"rate_drop", Kind::kNumber, kUnitClosed},
      {"refresh_leaf", Kind::kBool},
      {"sample_type", Kind::kChoice, {}, {"uniform", "weighted"}},
      {"sampling_method", Kind::kChoice, {}, {"uniform", "gradient_based"}},
      {"scale_pos_weight", Kind::kNumber, kPositive},
      {"seed", Kind::kInt},
      {"silent", Kind::kText, {}, {}, Use::kIgnored, "image 0.90 and 1.0's logging switch; logging is Grove's"},
      {"single_precision_histogram", Kind::kBool, {}, {}, Use::kIgnored, "only gpu_hist reads it"},
      {"sketch_eps",
       Kind::kNumber,
       {0, 1, true, true},
       {},
       Use::kIgnored,
       "XGBoost 1.7's approx tree method sizes its sketch by max_bin"},
      {"skip_drop", Kind::kNumber, kUnitClosed},
      {"subsample", Kind::kNumber, kUnitOpenClosed},
      {"tree_method", Kind::kChoice, {}, {"auto", "exact", "approx", "hist", "gpu_hist"}},
      {"tweedie_variance_power", Kind::kNumber, {1, 2, true, true}},
      {"updater", Kind::kUpdaters},
      {"verbosity", Kind::kInt, {0, 3, false, false}},
  };
  return kSpecs;
}

// XGBoost's and scikit-learn's names for SageMaker hyperparameters.
const std::vector<std::pair<std::string_view, std::string_view>> kAliases = {
    {"learning_rate", "eta"},         {"reg_alpha", "alpha"},   {"reg_lambda", "lambda"},
    {"min_split_loss", "gamma"},      {"random_state", "seed"}, {"n_estimators", "num_round"},
    {"num_boost_round", "num_round"}, {"n_jobs", "nthread"},    {"early_stopping", "early_stopping_rounds"}};

// Values a label-first CSV cannot support, and why.
const std::vector<std::pair<std::string_view, std::string_view>> kUnsupported = {
    {"survival:aft", "needs label bounds, which a label-first CSV cannot carry"},
    {"aft-nloglik", "needs label bounds, which a label-first CSV cannot carry"},
    {"interval-regression-accuracy", "needs label bounds, which a label-first CSV cannot carry"}};

const Spec* FindSpec(std::string_view name) {
  for (const Spec& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

template <typename List>
bool Contains(const List& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

std::string Expected(std::string_view what, const Json& got) {
  return "expected " + std::string(what) + ", got " + got.dump();
}

std::optional<std::string_view> UnsupportedReason(std::string_view value) {
  for (const auto& [name, reason] : kUnsupported) {
    if (name == value) return reason;
  }
  return std::nullopt;
}

// Checks one eval_metric name; "" when XGBoost 1.7 evaluates it on CSV data.
std::string CheckMetric(const std::string& metric) {
  std::string_view base = metric;
  bool minus = base.size() > 1 && base.back() == '-';
  if (minus) base.remove_suffix(1);
  std::string_view suffix;
  size_t at = base.find('@');
  if (at != std::string_view::npos) {
    suffix = base.substr(at + 1);
    base = base.substr(0, at);
  }
  if (std::optional<std::string_view> reason = UnsupportedReason(base)) return metric + " " + std::string(*reason);
  bool ranking = base == "ndcg" || base == "map" || base == "pre";
  bool known = Contains(kMetrics, base) && (!minus || ranking) &&
               (at == std::string_view::npos || ranking || base == "error" || base == "tweedie-nloglik");
  if (!known) return "unknown metric \"" + metric + "\"; expected one of " + Join(kMetrics);
  if (at != std::string_view::npos && !HyperparameterNumber(Json(std::string(suffix)))) {
    return "metric \"" + metric + "\": expected a number after '@'";
  }
  if (base == "tweedie-nloglik" && suffix.empty()) {
    return "metric \"tweedie-nloglik\" needs the variance power, e.g. tweedie-nloglik@1.5";
  }
  return "";
}

// Maps `value` of a numeric or boolean spec; "" on success, else the error.
std::string MapScalar(const Spec& spec, const Json& value, std::string* text) {
  if (spec.kind == Kind::kBool) {
    std::optional<bool> b = HyperparameterBool(value);
    if (!b) return Expected("true or false (or 1 or 0)", value);
    *text = *b ? "1" : "0";
  } else if (spec.kind == Kind::kInt) {
    std::optional<int64_t> i = HyperparameterInteger(value);
    bool fits = i && (spec.name == "seed" || (*i >= INT_MIN && *i <= INT_MAX));
    if (!fits || !spec.range.Contains(static_cast<double>(*i))) {
      return Expected(spec.range.Describe("an integer"), value);
    }
    *text = std::to_string(*i);
  } else {
    std::optional<double> d = HyperparameterNumber(value);
    if (!d || !spec.range.Contains(*d)) return Expected(spec.range.Describe("a number"), value);
    *text = FormatNumber(*d);
  }
  return "";
}

std::string MapChoice(const Spec& spec, const Json& value, std::string* text) {
  if (!value.is_string()) return Expected("one of " + Join(spec.choices), value);
  const std::string& s = value.get_ref<const std::string&>();
  if (std::optional<std::string_view> reason = UnsupportedReason(s)) return s + " " + std::string(*reason);
  if (!Contains(spec.choices, s)) return Expected("one of " + Join(spec.choices), value);
  *text = s;
  return "";
}

// eval_metric (each name checked, kept apart) or updater (joined with commas).
std::string MapList(const Spec& spec, const Json& value, std::string* text, std::vector<std::string>* metrics) {
  std::optional<std::vector<std::string>> list = HyperparameterList(value);
  if (spec.kind == Kind::kMetrics) {
    if (!list) return Expected("a metric name or a comma-separated list of them", value);
    for (const std::string& metric : *list) {
      std::string error = CheckMetric(metric);
      if (!error.empty()) return error;
    }
    *metrics = std::move(*list);
    return "";
  }
  auto known = [](const std::string& u) { return Contains(kUpdaters, u); };
  if (!list || !std::all_of(list->begin(), list->end(), known)) {
    return Expected("a comma-separated list of " + Join(kUpdaters), value);
  }
  for (const std::string& u : *list) *text += (text->empty() ? "" : ",") + u;
  return "";
}

// Checks `value` against `spec`. Returns "" and fills *text (what XGBoost gets)
// or *metrics (eval_metric) on success, else the error without the
// "hyperparameters.<name>: " prefix.
std::string MapValue(const Spec& spec, const Json& value, std::string* text, std::vector<std::string>* metrics) {
  std::optional<std::string> constraints;
  switch (spec.kind) {
    case Kind::kChoice:
      return MapChoice(spec, value, text);
    case Kind::kText:
      if (!value.is_string()) return Expected("a string", value);
      *text = value.get<std::string>();
      return "";
    case Kind::kMetrics:
    case Kind::kUpdaters:
      return MapList(spec, value, text, metrics);
    case Kind::kMonotone:
      if (!(constraints = HyperparameterMonotone(value))) {
        return Expected("one of -1, 0, 1 per feature, like \"(1,0,-1)\"", value);
      }
      *text = *constraints;
      return "";
    case Kind::kInteraction:
      if (!(constraints = HyperparameterInteraction(value))) {
        return Expected("lists of feature indices, like \"[[0,1],[2,3]]\"", value);
      }
      *text = *constraints;
      return "";
    default:
      return MapScalar(spec, value, text);
  }
}

// Records one valid value where its consumer will find it.
void Store(const Spec& spec, const std::string& text, std::vector<std::string> metrics, XgboostParams* out) {
  if (spec.use == Use::kIgnored) {
    out->notes.push_back(std::string(spec.name) + " is ignored: " + std::string(spec.note));
  } else if (spec.use == Use::kTrainer) {
    int number = 0;
    std::from_chars(text.data(), text.data() + text.size(), number);  // Checked by MapScalar.
    if (spec.name == "num_round") out->num_round = number;
    if (spec.name == "early_stopping_rounds") out->early_stopping_rounds = number;
    if (spec.name == "csv_weights") out->csv_weights = text == "1";
  } else if (spec.kind == Kind::kMetrics) {
    for (std::string& m : metrics) out->booster_params.emplace_back("eval_metric", std::move(m));
  } else if (spec.name == "objective") {
    out->objective = text == "reg:linear" ? "reg:squarederror" : text;
    out->booster_params.emplace_back("objective", out->objective);
  } else {
    out->booster_params.emplace_back(spec.name, text);
  }
}

std::string UnknownName(const std::string& name) {
  std::string prefix = "hyperparameters." + name + ": unknown hyperparameter";
  for (const auto& [alias, sagemaker] : kAliases) {
    if (alias == name) return prefix + "; SageMaker XGBoost calls it " + std::string(sagemaker);
  }
  std::vector<std::string> names;
  for (const Spec& spec : Specs()) names.emplace_back(spec.name);
  std::vector<std::string> close = CloseMatches(name, names);
  if (!close.empty()) {
    std::vector<std::string_view> views(close.begin(), close.end());
    return prefix + "; did you mean " + Join(views) + "?";
  }
  std::vector<std::string_view> all(names.begin(), names.end());
  return prefix + "; accepted: " + Join(all);
}

const std::string* FindParam(const XgboostParams& params, std::string_view name) {
  for (const auto& [key, value] : params.booster_params) {
    if (key == name) return &value;
  }
  return nullptr;
}

// Checks that involve several hyperparameters and adds Grove's defaults.
void Finish(const Json& hyperparameters, XgboostParams* out, std::vector<std::string>* errors) {
  if (!hyperparameters.contains("num_round")) {
    errors->push_back("hyperparameters.num_round: required (the number of boosting rounds)");
  }
  const std::string* num_class = FindParam(*out, "num_class");
  bool multi = out->objective.rfind("multi:", 0) == 0;
  if (multi && num_class == nullptr) {
    errors->push_back("hyperparameters.num_class: required when objective is " + out->objective);
  } else if (multi && *num_class == "1") {
    errors->push_back("hyperparameters.num_class: expected an integer >= 2 with objective " + out->objective +
                      ", got 1");
  }
  const std::string* booster = FindParam(*out, "booster");
  bool linear = booster != nullptr && *booster == "gblinear";
  if (!linear && FindParam(*out, "tree_method") == nullptr && FindParam(*out, "updater") == nullptr) {
    out->booster_params.emplace_back("tree_method", std::string(kDefaultTreeMethod));
  }
}

}  // namespace

Result<XgboostParams> MapXgboostHyperparameters(const Json& hyperparameters) {
  if (!hyperparameters.is_object()) {
    return Status::InvalidArgument("hyperparameters: expected an object of name: value, got " +
                                   std::string(hyperparameters.type_name()));
  }
  XgboostParams out;
  std::vector<std::string> errors;
  for (const auto& [name, value] : hyperparameters.items()) {
    const Spec* spec = FindSpec(name);
    if (spec == nullptr) {
      errors.push_back(UnknownName(name));
      continue;
    }
    std::string text;
    std::vector<std::string> metrics;
    std::string error = MapValue(*spec, value, &text, &metrics);
    if (!error.empty()) {
      errors.push_back("hyperparameters." + name + ": " + error);
      continue;
    }
    Store(*spec, text, std::move(metrics), &out);
  }
  Finish(hyperparameters, &out, &errors);
  if (!errors.empty()) {
    std::string message;
    for (const std::string& e : errors) message += (message.empty() ? "" : "; ") + e;
    return Status::InvalidArgument(message);
  }
  return out;
}

bool MetricIsMaximized(std::string_view metric) {
  for (std::string_view prefix : {"auc", "map", "ndcg", "pre"}) {
    if (metric.rfind(prefix, 0) == 0) return true;
  }
  return false;
}


std::vector<std::string> CloseMatches(std::string_view name, const std::vector<std::string>& candidates) {
  constexpr size_t kMaxDistance = 2;
  constexpr size_t kPrefix = 4;
  constexpr size_t kMaxMatches = 5;
  std::vector<std::pair<size_t, std::string>> near;
  std::vector<std::string> prefixed;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    if (distance <= kMaxDistance) {
      near.emplace_back(distance, candidate);
    } else if (name.size() >= kPrefix && candidate.compare(0, kPrefix, name.substr(0, kPrefix)) == 0) {
      prefixed.push_back(candidate);
    }
  }
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [distance, candidate] : near) out.push_back(std::move(candidate));
  // Shared prefixes only help when nothing is a near miss ("colsample" -> the colsample_* names).
  if (out.empty()) out = std::move(prefixed);
  if (out.size() > kMaxMatches) out.resize(kMaxMatches);
  return out;
}

}  // namespace grove::ml
