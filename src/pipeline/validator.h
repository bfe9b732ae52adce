#pragma once

#include <string_view>

#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

// The step type whose `if_steps`/`else_steps` arguments are branches.
inline constexpr std::string_view kConditionStepType = "Condition";

// Whether `name` may name a pipeline, step or parameter: [A-Za-z0-9][A-Za-z0-9_-]*.
bool IsValidName(std::string_view name);

// Checks what the reader cannot: parameter defaults and enum values are of the
// declared type and defaults are in the enum; step names are valid and unique;
// step types are known; depends_on names exist; every expression is
// well-formed and resolves (parameter exists, execution variable known, step
// exists, output among that step type's Outputs, JsonGet target has a
// PropertyFile); no step depends on a step inside a condition branch unless it
// is inside that branch too; Condition steps have well-formed, non-empty
// `conditions`; the graph has no cycle; then each StepType::Validate.
//
// Collects every error: the result is one InvalidArgument whose message has
// one "<file>:<line>:<column>: <field>: <message>" per line, in source order
// (at most 20, then "... and N more errors").
Status ValidateDefinition(const Definition& def, const StepTypeRegistry& types);

}  // namespace grove::pipeline
