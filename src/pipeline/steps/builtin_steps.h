#pragma once

#include <memory>

#include "pipeline/step_type.h"

namespace grove::pipeline {

// Factories of the built-in step types (one file each), registered by
// StepTypeRegistry::BuiltIn().
std::unique_ptr<StepType> MakeProcessingStep();
std::unique_ptr<StepType> MakeTrainingStep();
std::unique_ptr<StepType> MakeEvaluationStep();
std::unique_ptr<StepType> MakeConditionStep();
std::unique_ptr<StepType> MakeRegisterModelStep();
std::unique_ptr<StepType> MakeFailStep();
std::unique_ptr<StepType> MakeTuningStep();
std::unique_ptr<StepType> MakeRefitStep();
std::unique_ptr<StepType> MakeDeployStep();
std::unique_ptr<StepType> MakeSageMakerJobStep();
std::unique_ptr<StepType> MakeSageMakerProcessingStep();
std::unique_ptr<StepType> MakeSageMakerTrainingStep();
std::unique_ptr<StepType> MakeSageMakerTuningStep();
std::unique_ptr<StepType> MakeLambdaStep();
std::unique_ptr<StepType> MakeCallbackStep();
std::unique_ptr<StepType> MakeAnalysisStep();
std::unique_ptr<StepType> MakeTransformStep();
// `types`: the registry the template's steps are looked up in (the one the
// ForEach is registered in); null: the built-in types.
std::unique_ptr<StepType> MakeForEachStep(const StepTypeRegistry* types = nullptr);
std::unique_ptr<StepType> MakeQualityCheckStep();

}  // namespace grove::pipeline
