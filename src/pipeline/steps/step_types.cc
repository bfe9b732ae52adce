#include "pipeline/steps/builtin_steps.h"

namespace grove::pipeline {

const StepTypeRegistry& StepTypeRegistry::BuiltIn() {
  static const StepTypeRegistry* registry = [] {
    auto* r = new StepTypeRegistry();
    r->Register(MakeProcessingStep());
    r->Register(MakeTrainingStep());
    r->Register(MakeEvaluationStep());
    r->Register(MakeConditionStep());
    r->Register(MakeRegisterModelStep());
    r->Register(MakeFailStep());
    r->Register(MakeTuningStep());
    r->Register(MakeRefitStep());
    r->Register(MakeDeployStep());
    r->Register(MakeSageMakerJobStep());
    r->Register(MakeSageMakerProcessingStep());
    r->Register(MakeSageMakerTrainingStep());
    r->Register(MakeSageMakerTuningStep());
    r->Register(MakeLambdaStep());
    r->Register(MakeCallbackStep());
    r->Register(MakeForEachStep(r));
    r->Register(MakeAnalysisStep());
    r->Register(MakeTransformStep());
    r->Register(MakeQualityCheckStep());
    return r;
  }();
  return *registry;
}

}  // namespace grove::pipeline
