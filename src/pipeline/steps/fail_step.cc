#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"

namespace grove::pipeline {

namespace {

// Ends the execution as Failed with its message.
class FailStep : public StepType {
 public:
  std::string_view Name() const override { return "Fail"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"message", ArgType::kString}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    return CheckArgumentKeys(step, def, {}, {"message"});
  }

  Status Run(StepContext& ctx) const override {
    std::string message = ArgumentText(ctx.arguments, "message", "Execution failed at step " + ctx.step->name);
    ctx.log("fail: " + message);
    ctx.result = StepResult::FailExecution(std::move(message));
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeFailStep() { return std::make_unique<FailStep>(); }

}  // namespace grove::pipeline
