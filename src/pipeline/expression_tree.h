#pragma once

// The typed tree of the expression language (see expression.h for the
// language): a definition's arguments are parsed once into Expr nodes, stored
// on the step (StepDef::expressions), and everything after the front end (the
// validator, the graph, type inference, resolution, conditions) works from
// the tree. Front ends (the YAML reader; later SageMaker's pipeline-definition
// JSON) keep the written form in StepDef::arguments and call
// ParseStepExpressions once.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::pipeline {

struct StepDef;
class StepTypeRegistry;

// The execution variables `Get: Execution.<Name>` may name.
inline constexpr std::string_view kExecutionVariables[] = {"ExecutionId", "StartDateTime", "PipelineName"};

// Whether `value` is an expression: an object with exactly one key among Get,
// JsonGet and Join. A shape test only; a malformed one is still an expression.
bool IsExpression(const Json& value);

// One step of a JsonGet path: an object key or an array index.
struct PathSegment {
  std::string key;
  std::optional<size_t> index;
};
// Parses "a.b[0].c" (keys are non-empty and contain no '.', '[' or ']').
Result<std::vector<PathSegment>> ParseJsonPath(const std::string& path);

enum class CompareOp { kEquals, kGreaterThan, kGreaterThanOrEqualTo, kLessThan, kLessThanOrEqualTo };

// One node of a parsed value or condition. A plain struct: the kind says which
// fields mean something. Every node knows where it was written: `field` for
// messages ("steps.Train.arguments.train") and `pointer`, the JSON pointer of
// its written form inside the parsed root (for a step, inside StepDef::arguments,
// e.g. "/conditions/0/LessThan/0"), where resolution puts its value.
struct Expr {
  enum class Kind {
    kLiteral,            // `literal`; the expressions written inside it (at any depth) are `children`.
    kParameter,          // Get Parameters.<name>
    kExecutionVariable,  // Get Execution.<name>
    kStepOutput,         // Get Steps.<name>.Outputs.<output>
    kJsonGet,            // JsonGet {step: <name>, path: <path>} (`segments` parsed from `path`)
    kJoin,               // Join {on: <separator>, values: `children`}
    kCompare,            // <op>: [children[0], children[1]]
    kIn,                 // In: [children[0], children[1]]; children[1] is a kList or an expression
    kList,               // In's written list of values: `children`
    kNot,                // Not: children[0]
    kAnd,                // And (or a condition list): `children`
    kOr,                 // Or: `children`
    kInvalid,            // Malformed (`message` says why); kept so the tree keeps the written shape
  };
  Kind kind = Kind::kLiteral;
  std::string field;
  std::string pointer;
  Json literal;
  std::string name;
  std::string output;
  std::string path;
  std::vector<PathSegment> segments;
  std::string separator;
  CompareOp op = CompareOp::kEquals;
  std::string message;
  std::vector<Expr> children;
};

// Whether a node reads a value from somewhere: a parameter, an execution
// variable, a step output or a property file.
bool IsReference(Expr::Kind kind);
// Whether a node is part of a condition (kCompare ... kOr, and kList).
bool IsCondition(Expr::Kind kind);

// "Get Steps.A.Outputs.x", "JsonGet on step A" or "Join", for messages.
std::string Label(const Expr& expr);

// Calls `visit` on `root` and every node below it, parents before children,
// in written order.
void ForEachNode(const Expr& root, const std::function<void(const Expr&)>& visit);

// A malformed expression or condition, at a field path.
struct ExpressionIssue {
  std::string field;
  std::string message;
};

// Parses a value written at `field`: an expression node, or a kLiteral whose
// children are the expressions inside it. Pointers are relative to `value`.
// Malformed parts become kInvalid nodes and are appended to `issues`.
Expr ParseValue(const Json& value, const std::string& field, std::vector<ExpressionIssue>* issues);

// Parses a condition list (a list means AND, so it becomes a kAnd; a single
// object is one condition) written at `field`, as ParseValue.
Expr ParseConditions(const Json& conditions, const std::string& field, std::vector<ExpressionIssue>* issues);

// The parsed expressions of a step's arguments (StepDef::expressions).
struct ArgumentExpressions {
  bool parsed = false;      // Set by ParseStepExpressions.
  std::vector<Expr> nodes;  // The outermost expressions and condition lists, in written order.
  std::vector<ExpressionIssue> issues;  // Malformed ones; ValidateDefinition reports them.

  // The node written at `pointer` (e.g. "/conditions"), if any.
  const Expr* Find(std::string_view pointer) const;
  // ForEachNode over every node.
  void ForEachNode(const std::function<void(const Expr&)>& visit) const;
};

// Parses `step.arguments` into `step.expressions`, replacing what was there.
// Arguments whose schema type is kConditions (StepTypeRegistry::FindArgument)
// are parsed as condition lists; every other argument is searched for
// expressions at any depth. Malformed expressions do not fail the parse: they
// are kept in `step.expressions.issues` so that ValidateDefinition reports
// them together with every other error of the definition.
// Every producer of StepDefs calls this once after filling `arguments` (the
// YAML reader does; code that builds steps must too): the validator, the
// graph and resolution read only the parsed tree. Changing `arguments`
// afterwards needs a new call.
void ParseStepExpressions(StepDef& step, const StepTypeRegistry& types);

}  // namespace grove::pipeline
