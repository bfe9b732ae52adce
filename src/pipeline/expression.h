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

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::pipeline {

// The execution variables `Get: Execution.<Name>` may name.
inline constexpr std::string_view kExecutionVariables[] = {"ExecutionId", "StartDateTime", "PipelineName"};

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

// Whether `value` is an expression: an object with exactly one key among Get,
// JsonGet and Join.
bool IsExpression(const Json& value);

// Returns `value` with every expression, at any depth, replaced by its value.
// Errors name `field` (the path of `value`, e.g. "arguments.train") and the
// expression, e.g. "arguments.train: Get Steps.Prep.Outputs.train: <why>".
Result<Json> Resolve(const Json& value, const ResolveContext& ctx, const std::string& field = "");

// Evaluates a condition list (AND) whose operands are literals or expressions.
// Numbers compare numerically (integers and floats mix); strings compare as
// strings; booleans and nulls only compare for equality; any other mix of
// kinds is an error naming both values.
Result<bool> EvaluateConditions(const Json& conditions, const ResolveContext& ctx,
                                const std::string& field = "conditions");

// A reference made by an expression.
struct Reference {
  enum class Kind { kParameter, kExecution, kStepOutput, kJsonGet };
  Kind kind = Kind::kParameter;
  std::string name;    // Parameter, execution variable or step name.
  std::string output;  // kStepOutput: the output name.
  std::string path;    // kJsonGet: the path inside the property file.
  std::string field;   // Where the expression is, e.g. "steps.Train.arguments.train".
};

// A malformed expression or condition, at a field path.
struct ExpressionIssue {
  std::string field;
  std::string message;
};

// All references in `value` (in tree order) and every malformed expression.
// `field_prefix` is the path of `value`; nested paths append ".key" or "[i]".
struct ExpressionScan {
  std::vector<Reference> references;
  std::vector<ExpressionIssue> issues;
};
ExpressionScan ScanExpressions(const Json& value, const std::string& field_prefix);

// The references of well-formed expressions in `value` (malformed ones are skipped).
std::vector<Reference> CollectReferences(const Json& value, const std::string& field_prefix);

// Checks the shape of a condition list (operators known, operand counts,
// expressions well-formed). Returns the first problem, if any.
std::optional<ExpressionIssue> CheckConditions(const Json& conditions, const std::string& field);

// Calls `visit` with the two operands of every comparison (Equals ... In) in
// a well-formed condition list, and the comparison's field path
// (e.g. "conditions[0].LessThanOrEqualTo"). For In, the right operand is the list.
// REQUIRES: CheckConditions found no issue.
void ForEachComparison(const Json& conditions, const std::string& field,
                       const std::function<void(const Json& left, const Json& right, const std::string& at)>& visit);

// One step of a JsonGet path: an object key or an array index.
struct PathSegment {
  std::string key;
  std::optional<size_t> index;
};
// Parses "a.b[0].c" (keys are non-empty and contain no '.', '[' or ']').
Result<std::vector<PathSegment>> ParseJsonPath(const std::string& path);

// The value at `path` in `document`. A missing key or index is an error naming
// the path up to where it failed and what exists there.
Result<Json> LookupJsonPath(const Json& document, const std::string& path);

// Text of a scalar for Join and messages: strings as is, numbers shortest
// ("6", "0.7"), booleans true/false, null "null"; arrays and objects as JSON.
std::string ScalarText(const Json& value);

}  // namespace grove::pipeline
