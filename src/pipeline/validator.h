#pragma once

#include <string_view>

#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

// Whether `name` may name a pipeline, step or parameter: [A-Za-z0-9][A-Za-z0-9_-]*.
bool IsValidName(std::string_view name);

// The type of an expression's value as far as the definition tells: a
// parameter's declared type, String for Join and execution variables, a path
// for step outputs, kAny for JsonGet (a property file's values are known only
// when it exists). `what` names it for messages ("parameter MseThreshold");
// `hint` says how to fix a mismatch.
struct TypedExpression {
  ArgType type = ArgType::kAny;
  std::string what;
  std::string hint;
};
// REQUIRES: IsReference(expression.kind) or expression.kind is kJoin.
TypedExpression ExpressionType(const Expr& expression, const Definition& def);

// Checks what the reader cannot: parameter defaults and enum values are of the
// declared type and defaults are in the enum; step names are valid and unique;
// step types are known; depends_on names exist; every expression is
// well-formed (the issues ParseStepExpressions recorded) and resolves (parameter exists, execution variable known, step
// exists, output among that step type's Outputs, JsonGet target has a
// PropertyFile); nested steps are guarded by a step whose type declares their
// list; no step depends on a nested step unless it is inside that list too;
// the graph has no cycle; then each StepType::Validate.
//
// Collects every error: the result is one InvalidArgument whose message has
// one "<file>:<line>:<column>: <field>: <message>" per line, in source order
// (at most 20, then "... and N more errors").
Status ValidateDefinition(const Definition& def, const StepTypeRegistry& types);

}  // namespace grove::pipeline
