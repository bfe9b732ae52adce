#include "common/file_util.h"
#include "ml/evaluation.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"

namespace grove::pipeline {

namespace {

// Scores a model on a test split and writes the evaluation report, which is
// the step's property file (the target of JsonGet).
class EvaluationStep : public StepType {
 public:
  std::string_view Name() const override { return "Evaluation"; }
  // 2: regression reports have "residuals" (histogram and points).
  int Version() const override { return 2; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"report"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "report"; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"model", "test"}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"model", ArgType::kPath},
            {"test", ArgType::kPath},
            {"kind", ArgType::kString},
            {"threshold", ArgType::kNumber},
            {"register_metric", ArgType::kString}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"model", "test", "kind"}, {"threshold", "register_metric"}));
    const Json& kind = step.arguments["kind"];
    if (!IsExpression(kind)) {
      Status s = kind.is_string() ? ml::ValidateEvaluationKind(kind.get<std::string>())
                                  : Status::InvalidArgument("expected regression or binary_classification");
      if (!s.ok()) return def.ErrorAt(ArgumentField(step, "kind"), s.message());
    }
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    ml::EvaluationRequest request;
    request.model = ctx.arguments["model"].get<std::string>();
    request.test = ctx.arguments["test"].get<std::string>();
    request.kind = ArgumentText(ctx.arguments, "kind");
    if (ctx.arguments.contains("threshold")) request.threshold = ctx.arguments["threshold"].get<double>();
    request.register_metric = ArgumentText(ctx.arguments, "register_metric");
    request.nthread = ctx.threads;
    ASSIGN_OR_RETURN(Json report, ml::Evaluate(request));
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("report"), report.dump(2)));
    Json summary = Json::object();
    for (const auto& [group, metrics] : report.items()) {
      if (!metrics.is_object()) continue;
      for (const auto& [name, metric] : metrics.items()) {
        if (metric.is_object() && metric.contains("value")) summary[name] = metric["value"];
      }
    }
    ctx.metadata = {{"metrics", summary}};
    ctx.log("metrics " + summary.dump());
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeEvaluationStep() { return std::make_unique<EvaluationStep>(); }

}  // namespace grove::pipeline
