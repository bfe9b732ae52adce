#include "pipeline/steps/tuning_config.h"

#include <algorithm>
#include <map>

#include "ml/model_registry.h"
#include "ml/scorer.h"

namespace grove::pipeline {

namespace {

Status Bad(const std::string& key, const std::string& message) { return Status::InvalidArgument(key + ": " + message); }

// An integer argument in [lo, hi], or `fallback` when absent.
Result<int64_t> Integer(const Json& args, const std::string& key, int64_t fallback, int64_t lo, int64_t hi) {
  if (!args.contains(key)) return fallback;
  const Json& v = args[key];
  bool whole =
      v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<int64_t>(v.get<double>()));
  if (!whole || v.get<double>() < static_cast<double>(lo) || v.get<double>() > static_cast<double>(hi)) {
    return Bad(key, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
  }
  return static_cast<int64_t>(v.get<double>());
}

// SageMaker tuning objectives "validation:<metric>" as scikit-learn scorers.
Result<std::string> ObjectiveScorer(const Json& objective) {
  static const std::map<std::string, std::string> kMetrics = {{"auc", "roc_auc"},
                                                              {"accuracy", "accuracy"},
                                                              {"f1", "f1"},
                                                              {"logloss", "neg_log_loss"},
                                                              {"rmse", "neg_root_mean_squared_error"},
                                                              {"mse", "neg_mean_squared_error"},
                                                              {"mae", "neg_mean_absolute_error"}};
  std::string text = objective.is_string() ? objective.get<std::string>() : objective.dump();
  std::string metric = text.rfind("validation:", 0) == 0 ? text.substr(11) : "";
  auto it = kMetrics.find(metric);
  if (it != kMetrics.end()) return it->second;
  std::string valid;
  for (const auto& [name, scorer] : kMetrics) valid += (valid.empty() ? "validation:" : ", validation:") + name;
  return Bad("objective", "expected one of " + valid + ", got " + objective.dump());
}

Result<ml::EarlyStopping> ParseEarlyStopping(const Json& args) {
  ml::EarlyStopping rule;
  if (!args.contains("early_stopping")) return rule;
  const Json& v = args["early_stopping"];
  if (v.is_boolean()) {
    rule.enabled = v.get<bool>();
    return rule;
  }
  if (!v.is_object()) return Bad("early_stopping", "expected true, false or {min_folds, tolerance}");
  rule.enabled = true;
  for (const auto& [key, value] : v.items()) {
    if (key == "min_folds" && value.is_number_integer() && value.get<int>() >= 1) {
      rule.min_folds = value.get<int>();
    } else if (key == "tolerance" && value.is_number() && value.get<double>() >= 0) {
      rule.tolerance = value.get<double>();
    } else {
      return Bad("early_stopping." + key, "expected min_folds (an integer >= 1) or tolerance (a number >= 0)");
    }
  }
  return rule;
}

// Every family known and able to learn `task`; the first point of its space valid.
Status CheckFamilies(const ml::SearchSpace& space, ml::TaskKind task) {
  const ml::ModelRegistry& registry = ml::ModelRegistry::BuiltIn();
  for (const ml::FamilySpace& family : space.families) {
    Json first = Json::object();
    for (const auto& [name, d] : family.params) {
      first[name] = d.kind == ml::ParamDomain::Kind::kCategorical ? d.values.front()
                    : d.kind == ml::ParamDomain::Kind::kInt       ? Json(static_cast<int64_t>(d.low))
                                                                  : Json(d.low);
    }
    Status s = registry.Validate(family.family, first, task);
    if (!s.ok()) return Bad("search_space." + family.family, s.message());
  }
  return Status::OK();
}

}  // namespace

Result<TuningConfig> ParseTuningConfig(const Json& args) {
  TuningConfig c;
  if (!args.contains("search_space")) return Bad("search_space", "required");
  ASSIGN_OR_RETURN(c.space, ml::ParseSearchSpace(args["search_space"], "search_space"));
  if (args.contains("strategy")) {
    const Json& s = args["strategy"];
    c.strategy = s.is_string() ? s.get<std::string>() : s.dump();
    if (c.strategy != "random" && c.strategy != "grid" && c.strategy != "bayesian") {
      return Bad("strategy", "expected random, grid or bayesian, got " + s.dump());
    }
  }
  ASSIGN_OR_RETURN(int64_t max_trials, Integer(args, "max_trials", 60, 1, 100000));
  ASSIGN_OR_RETURN(int64_t parallel, Integer(args, "max_parallel_trials", 6, 1, 1024));
  ASSIGN_OR_RETURN(int64_t folds, Integer(args, "cv_folds", 5, 2, 100));
  ASSIGN_OR_RETURN(int64_t seed, Integer(args, "seed", 0, 0, INT64_MAX));
  ASSIGN_OR_RETURN(int64_t warmup, Integer(args, "warmup_trials", 10, 0, 100000));
  c.max_trials = static_cast<int>(max_trials);
  c.max_parallel_trials = static_cast<int>(parallel);
  c.cv_folds = static_cast<int>(folds);
  c.seed = static_cast<uint64_t>(seed);
  c.warmup_trials = static_cast<int>(warmup);
  if (args.contains("objective") && args.contains("scoring")) {
    return Bad("objective", "give either objective (hold-out) or scoring (cross-validation), not both");
  }
  if (args.contains("objective")) {
    ASSIGN_OR_RETURN(c.scoring, ObjectiveScorer(args["objective"]));
    c.hold_out = true;
  } else if (args.contains("scoring")) {
    c.scoring = args["scoring"].is_string() ? args["scoring"].get<std::string>() : args["scoring"].dump();
  }
  Result<ml::Scorer> scorer = ml::Scorer::ByName(c.scoring);
  if (!scorer.ok()) return Bad(c.hold_out ? "objective" : "scoring", scorer.status().message());
  ASSIGN_OR_RETURN(c.early_stopping, ParseEarlyStopping(args));
  if (args.contains("refit")) {
    if (!args["refit"].is_boolean()) return Bad("refit", "expected true or false, got " + args["refit"].dump());
    c.refit = args["refit"].get<bool>();
  }
  RETURN_IF_ERROR(CheckFamilies(c.space, scorer->task()));
  return c;
}

}  // namespace grove::pipeline
