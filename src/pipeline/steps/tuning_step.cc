#include <algorithm>

#include "common/file_util.h"
#include "ml/tpe_search.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "pipeline/steps/tuning_config.h"
#include "pipeline/steps/tuning_results.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

Result<std::unique_ptr<ml::SearchStrategy>> MakeStrategy(const TuningConfig& c) {
  if (c.strategy == "grid") return ml::MakeGridSearch(c.space, c.max_trials);
  if (c.strategy == "bayesian") {
    ml::BayesianOptions options;
    options.warmup_trials = c.warmup_trials;
    options.history_lag = c.max_parallel_trials - 1;  // Proposals independent of scheduling.
    return ml::MakeBayesianSearch(c.space, c.seed, c.max_trials, options);
  }
  return ml::MakeRandomSearch(c.space, c.seed, c.max_trials);
}

// Model selection: a search over model families and hyperparameters, each
// trial scored by k-fold cross-validation (or on a hold-out `validation`
// channel), up to max_parallel_trials at once (at most the step's thread
// budget, for which it asks that many executor slots; one thread per trial).
// Each trial is recorded in the metadata store as it finishes; a re-run of the
// step (a retry, or a new execution with the same cache key after a crash)
// takes the trials already recorded instead of running them again. Outputs:
// `best` (the property file), `trials`, and the best refit on all of `train`
// as `model` (unless refit: false; the Refit step does it separately).
class TuningStep : public StepType {
 public:
  std::string_view Name() const override { return "Tuning"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef& step) const override {
    const Json& refit = step.arguments.value("refit", Json(true));
    if (refit.is_boolean() && !refit.get<bool>()) return {"best", "trials"};
    return {"best", "trials", "model"};
  }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "best"; }
  int WantedSlots(const Json& arguments) const override {
    if (!arguments.is_object()) return 1;
    const Json& parallel = arguments.value("max_parallel_trials", Json(6));
    return parallel.is_number_integer() ? std::max(1, parallel.get<int>()) : 1;
  }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"train", "validation"}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"train", ArgType::kPath},
            {"validation", ArgType::kPath},
            {"search_space", ArgType::kObject},
            {"strategy", ArgType::kString},
            {"max_trials", ArgType::kInteger},
            {"max_parallel_trials", ArgType::kInteger},
            {"scoring", ArgType::kString},
            {"objective", ArgType::kString},
            {"cv_folds", ArgType::kInteger},
            {"seed", ArgType::kInteger},
            {"warmup_trials", ArgType::kInteger},
            {"refit", ArgType::kBoolean}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"train", "search_space"},
                                      {"validation", "strategy", "max_trials", "max_parallel_trials", "scoring",
                                       "objective", "cv_folds", "seed", "early_stopping", "warmup_trials", "refit"}));
    if (step.arguments.contains("refit") && IsExpression(step.arguments["refit"])) {
      return def.ErrorAt(ArgumentField(step, "refit"), "expected true or false written out (it decides the outputs)");
    }
    if (step.arguments.contains("objective") && !step.arguments.contains("validation")) {
      return def.ErrorAt(ArgumentField(step, "objective"), "hold-out scoring needs a `validation` argument");
    }
    if (LiteralView(step.arguments["search_space"]) != step.arguments["search_space"]) return Status::OK();
    Result<TuningConfig> config = ParseTuningConfig(LiteralEntries(step.arguments));
    if (config.ok()) return Status::OK();
    const std::string& message = config.status().message();
    size_t colon = message.find(": ");
    return def.ErrorAt(ArgumentField(step, message.substr(0, colon)), message.substr(colon + 2));
  }

  Status Run(StepContext& ctx) const override {
    Result<TuningConfig> parsed = ParseTuningConfig(ctx.arguments);
    if (!parsed.ok()) return parsed.status().WithContext(ArgumentField(*ctx.step, ""));
    const TuningConfig& config = *parsed;
    ml::Scorer scorer = ml::Scorer::ByName(config.scoring).value();
    ASSIGN_OR_RETURN(ml::Dataset train,
                     ml::Dataset::ReadLabelFirstCsv(ctx.arguments["train"].get<std::string>(), "train"));
    std::optional<ml::Dataset> validation;
    if (config.hold_out) {
      if (!ctx.arguments.contains("validation") || !ctx.arguments["validation"].is_string()) {
        return Status::InvalidArgument("objective: hold-out scoring needs a `validation` argument");
      }
      ASSIGN_OR_RETURN(validation,
                       ml::Dataset::ReadLabelFirstCsv(ctx.arguments["validation"].get<std::string>(), "validation"));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<ml::SearchStrategy> strategy, MakeStrategy(config));

    ml::TrialScoring scoring;
    scoring.train = &train;
    scoring.validation = validation ? &*validation : nullptr;
    scoring.scorer = &scorer;
    scoring.folds = config.cv_folds;
    scoring.seed = config.seed;
    scoring.early_stopping = config.early_stopping;
    ml::TunerOptions options;
    options.workers = std::max(1, std::min(config.max_parallel_trials, ctx.threads));
    options.lag = config.max_parallel_trials - 1;
    options.log = ctx.log;
    options.stop = ctx.stop;
    if (ctx.store != nullptr) {
      // This step's own trials (a retry) first, then those of earlier runs with the same cache key (a new
      // execution after a crash); FinishedTrials keeps the first record of each number.
      ASSIGN_OR_RETURN(std::vector<store::TrialRecord> earlier,
                       ctx.store->ListTrials(ctx.execution_id, ctx.step->name));
      ASSIGN_OR_RETURN(std::vector<store::TrialRecord> same_key, ctx.store->ListTrialsByCacheKey(ctx.cache_key));
      earlier.insert(earlier.end(), same_key.begin(), same_key.end());
      options.finished = FinishedTrials(earlier);
      options.on_finished = [&ctx](const ml::TrialResult& r) {
        return ctx.store->PutTrial(ToTrialRecord(r, ctx.execution_id, ctx.step->name));
      };
    }
    ctx.log("tuning: " + config.strategy + " search, up to " + std::to_string(config.max_trials) + " trials, " +
            std::to_string(options.workers) + " at once, " +
            (config.hold_out ? "hold-out " : std::to_string(config.cv_folds) + "-fold ") + config.scoring + ", " +
            std::to_string(options.finished.size()) + " trial(s) recorded before");
    ASSIGN_OR_RETURN(std::vector<ml::TrialResult> results, ml::Tuner(*strategy, scoring, options).Run());
    return WriteOutputs(ctx, config, scorer, train, results);
  }

 private:
  static Status WriteOutputs(StepContext& ctx, const TuningConfig& config, const ml::Scorer& scorer,
                             const ml::Dataset& train, const std::vector<ml::TrialResult>& results) {
    std::optional<size_t> best = ml::Tuner::Best(results);
    Json counts = Json::object();
    for (const ml::TrialResult& r : results) {
      counts[r.outcome.status] = counts.value(r.outcome.status, 0) + 1;
      if (r.reused) counts["Reused"] = counts.value("Reused", 0) + 1;
    }
    if (!best) {
      std::string first_error;
      for (const ml::TrialResult& r : results) {
        if (first_error.empty() && !r.outcome.error.empty()) {
          first_error = "; trial " + std::to_string(r.spec.number) + ": " + r.outcome.error;
        }
      }
      return Status::FailedPrecondition("no trial completed with a score (" + counts.dump() + ")" + first_error);
    }
    Json best_json = BestJson(results[*best], config.scoring, scorer.task());
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("best"), best_json.dump(2)));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("trials"), TrialsDocument(results, best, config.scoring).dump(2)));
    ctx.log("best: trial " + std::to_string(results[*best].spec.number) + " " + best_json["family"].get<std::string>() +
            " " + best_json["hyperparameters"].dump() + " mean " + config.scoring + " " +
            best_json["mean_score"].dump());
    if (config.refit) RETURN_IF_ERROR(RefitBest(best_json, train, ctx.OutputPath("model")));
    ctx.metadata = {{"best", best_json}, {"trials", counts}};
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeTuningStep() { return std::make_unique<TuningStep>(); }

}  // namespace grove::pipeline
