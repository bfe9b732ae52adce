#pragma once

// The expression language of argument trees. An expression is a JSON object
// with exactly one key among:
//   {Get: Parameters.<Name>}
//   {Get: Execution.ExecutionId | Execution.StartDateTime | Execution.PipelineName}
//   {Get: Steps.<Step>.Outputs.<output>}
//   {JsonGet: {step: <Step>, path: a.b[0].c}}   a value from the step's property file
//   {Join: {on: " ", values: [...]}}            values resolved, then joined as text
// Conditions (the `conditions` of Condition steps) are a list meaning AND (a
// single object is a list of one) of:
//   {Equals|GreaterThan|GreaterThanOrEqualTo|LessThan|LessThanOrEqualTo: [left, right]}
//     also spelled ==, >, >=, <, <=
//   {In: [value, [v1, v2, ...]]} (in)   {Not: <condition or list>} (not)
//   {Or: [<conditions>]} (or)           {And: [<conditions>]} (and)
// Operands may be literals or expressions.
//
// Definitions are parsed once into a tree of Expr nodes (expression_tree.h);
// this file gives the tree its values: resolution and condition evaluation.

#include <functional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/expression_tree.h"

namespace grove::pipeline {

// What Resolve reads values from. Unset callbacks make the matching
// expressions an error.
struct ResolveContext {
  const Json* parameters = nullptr;  // Name -> coerced value (see CoerceParameters).
  Json execution = Json::object();   // {"ExecutionId": ..., "StartDateTime": ..., "PipelineName": ...}
  // The value of a step's output (for the executor: its local path).
  std::function<Result<Json>(const std::string& step, const std::string& output)> step_output;
  // The parsed property file of a step.
  std::function<Result<Json>(const std::string& step)> property_file;
};

// The value of a parsed value node (an expression, or a literal with the
// expressions inside it replaced by their values). Errors name the node's
// field and the expression, e.g. "arguments.train: Get Steps.Prep.Outputs.train: <why>".
Result<Json> Resolve(const Expr& value, const ResolveContext& ctx);

// `written` with each of `expressions` (parsed from it, pointers relative to
// it, e.g. StepDef::expressions.nodes) replaced by its value; a condition list
// keeps its written shape, with its operands replaced.
Result<Json> ResolveWritten(Json written, const std::vector<Expr>& expressions, const ResolveContext& ctx);

// Parses `value` (ParseValue, at `field`) and resolves it, for values built in
// code. A malformed expression is an error "<field>: <why>".
Result<Json> Resolve(const Json& value, const ResolveContext& ctx, const std::string& field = "");

// Evaluates a parsed condition list (ParseConditions), resolving operands
// with `ctx` as they are needed (AND, Or and Not stop early). Numbers compare
// numerically (integers and floats mix); strings compare as strings; booleans
// and nulls only compare for equality; any other mix of kinds is an error
// naming both values and the comparison's field.
Result<bool> EvaluateConditions(const Expr& conditions, const ResolveContext& ctx);

// As above, with each operand's value read from `resolved` at the operand's
// pointer: `resolved` is the value the conditions were parsed from, after
// ResolveWritten (a Condition step's resolved arguments).
Result<bool> EvaluateResolvedConditions(const Expr& conditions, const Json& resolved);

// Parses `conditions` (ParseConditions, at `field`) and evaluates them, for
// conditions built in code. A malformed condition is an error "<field>: <why>".
Result<bool> EvaluateConditions(const Json& conditions, const ResolveContext& ctx,
                                const std::string& field = "conditions");

// The value at `path` (parsed by ParseJsonPath) in `document`. A missing key
// or index is an error naming the path up to where it failed and what exists there.
Result<Json> LookupJsonPath(const Json& document, const std::vector<PathSegment>& path);

// Text of a scalar for Join and messages: strings as is, numbers shortest
// ("6", "0.7"), booleans true/false, null "null"; arrays and objects as JSON.
std::string ScalarText(const Json& value);

}  // namespace grove::pipeline
