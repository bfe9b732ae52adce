#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::pipeline {

namespace {

// A step of a SageMaker pipeline definition that Grove cannot run (Model,
// Transform, QualityCheck, ...; see sagemaker_json_reader.h). The definition
// is still accepted, stored, validated and described, and the step's
// references to other steps order the graph. Running it fails the step,
// naming the type and the container image.
class SageMakerJobStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "SageMakerJob"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }

  Status Run(StepContext& ctx) const override {
    const std::string type = ctx.arguments.value("type", "");
    const std::string image = SageMakerImage(ctx.arguments.value("request", Json::object()));
    return Status::Unimplemented("Grove cannot run SageMaker " + type + " steps yet" +
                                 (image.empty() ? "" : " (image " + image + ")") +
                                 "; it runs Processing steps with a script, Training and Tuning with the built-in "
                                 "XGBoost, Condition, Fail, RegisterModel, Lambda and Callback");
  }
};

}  // namespace

std::unique_ptr<StepType> MakeSageMakerJobStep() { return std::make_unique<SageMakerJobStep>(); }

}  // namespace grove::pipeline
