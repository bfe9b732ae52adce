#include "ml/xgboost_trainer.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"

namespace grove::pipeline {

namespace {

// Trains a model on label-first CSV channels. Only XGBoost for now; the
// model output is XGBoost JSON.
// The "; "-separated problems of a hyperparameter check, each "hyperparameters.<key>: ...".
std::vector<std::string> SplitProblems(const std::string& message) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= message.size()) {
    size_t next = message.find("; hyperparameters.", start);
    parts.push_back(message.substr(start, next == std::string::npos ? std::string::npos : next - start));
    if (next == std::string::npos) break;
    start = next + 2;
  }
  return parts;
}

class TrainingStep : public StepType {
 public:
  std::string_view Name() const override { return "Training"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"model"}; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"train", "validation"}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"train", ArgType::kPath},
            {"validation", ArgType::kPath},
            {"algorithm", ArgType::kString},
            {"hyperparameters", ArgType::kObject}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"train", "hyperparameters"}, {"algorithm", "validation"}));
    const Json& args = step.arguments;
    if (args.contains("algorithm") && !IsExpression(args["algorithm"]) && args["algorithm"] != "xgboost") {
      return def.ErrorAt(ArgumentField(step, "algorithm"), "unknown algorithm " + args["algorithm"].dump() +
                                                               " (expected xgboost)");
    }
    const Json& hp = args["hyperparameters"];
    if (IsExpression(hp)) return Status::OK();
    // Hyperparameters given by expressions are checked by training, once
    // resolved: drop what the check says of them ("required", "got <expression>").
    Status s = ml::ValidateXgboostHyperparameters(LiteralView(hp));
    if (s.ok()) return Status::OK();
    std::string kept;
    for (const std::string& problem : SplitProblems(s.message())) {
      size_t dot = problem.find('.'), colon = problem.find(':');
      std::string key = dot < colon && colon != std::string::npos ? problem.substr(dot + 1, colon - dot - 1) : "";
      if (hp.contains(key) && IsExpression(hp[key])) continue;
      kept += (kept.empty() ? "" : "; ") + problem;
    }
    return kept.empty() ? Status::OK() : def.ErrorAt(ArgumentField(step, "hyperparameters"), kept);
  }

  Status Run(StepContext& ctx) const override {
    ml::TrainRequest request;
    request.train = ctx.arguments["train"].get<std::string>();
    if (ctx.arguments.contains("validation") && ctx.arguments["validation"].is_string()) {
      request.validation = ctx.arguments["validation"].get<std::string>();
    }
    request.hyperparameters = ctx.arguments["hyperparameters"];
    request.model_out = ctx.OutputPath("model");
    request.log = ctx.log;
    request.stop = ctx.stop;
    request.nthread = ctx.threads;  // Unless the hyperparameters set nthread.
    ASSIGN_OR_RETURN(ml::TrainSummary summary, ml::TrainXgboost(request));
    ctx.metadata = summary.StepMetadata();
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeTrainingStep() { return std::make_unique<TrainingStep>(); }

}  // namespace grove::pipeline
