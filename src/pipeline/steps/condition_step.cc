#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"

namespace grove::pipeline {

namespace {

// Evaluates its conditions (already resolved to literals) and tells the
// executor which branch to take. Always evaluated, never cached: it is instant.
class ConditionStep : public StepType {
 public:
  std::string_view Name() const override { return "Condition"; }
  int Version() const override { return 1; }
  bool Cacheable() const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }

  Status Validate(const StepDef& step, const Definition& def) const override {
    return CheckArgumentKeys(step, def, {"conditions"}, {});
  }

  Status Run(StepContext& ctx) const override {
    ASSIGN_OR_RETURN(bool outcome, EvaluateConditions(ctx.arguments["conditions"], ResolveContext{}));
    ctx.condition_outcome = outcome;
    ctx.metadata = {{"outcome", outcome}, {"conditions", ctx.arguments["conditions"]}};
    ctx.log("conditions " + ctx.arguments["conditions"].dump() + " -> " + (outcome ? "true" : "false"));
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeConditionStep() { return std::make_unique<ConditionStep>(); }

}  // namespace grove::pipeline
