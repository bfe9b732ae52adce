#pragma once

// A Grove definition in the form of SageMaker's pipeline-definition JSON
// (Version 2020-12-01), for DescribePipeline on a pipeline written in YAML:
// Parameters as SageMaker lists them ({Name, Type, DefaultValue,
// EnumValues}), and Steps with their Grove type and arguments, the nested
// lists of a Condition as IfSteps/ElseSteps, and DependsOn.

#include "common/json.h"
#include "pipeline/definition.h"

namespace grove::api::sagemaker {

Json SageMakerDefinition(const pipeline::Definition& def);

}  // namespace grove::api::sagemaker
