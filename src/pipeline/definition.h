#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "pipeline/expression_tree.h"

namespace grove::pipeline {

enum class ParamType { kString, kInteger, kFloat, kBoolean };
const char* ParamTypeName(ParamType type);

// 1-based line and column in the definition's source; 0 when unknown.
struct SourceLocation {
  int line = 0;
  int column = 0;
};

struct ParameterDef {
  std::string name;
  ParamType type = ParamType::kString;
  std::optional<Json> default_value;  // Already of `type`; absent means "must be given".
  std::vector<Json> enum_values;      // Allowed values, of `type`; empty means any.
  std::string description;
};

// Retry on failure: attempt k (k >= 2) waits interval * backoff^(k-2) seconds.
struct RetryPolicy {
  int max_attempts = 1;
  double interval_seconds = 1.0;
  double backoff_rate = 2.0;
};

struct CachePolicy {
  bool enabled = true;
  TimeMs expire_after = 0;  // 0: entries never expire.
};

struct StepDef {
  std::string name;
  std::string type;
  Json arguments = Json::object();  // Literals and expressions, unresolved: the written form.
  // `arguments` parsed (ParseStepExpressions, called by every front end): what
  // the validator, the graph and resolution read.
  ArgumentExpressions expressions;
  std::vector<std::string> depends_on;
  CachePolicy cache;
  RetryPolicy retry;
  std::string description;

  // Steps whose type has nested step lists (StepType::NestedStepLists, e.g. a
  // Condition's if_steps and else_steps): list name -> the names of its steps.
  // Nested steps are ordinary entries of Definition::steps whose `guard_step`
  // names this step.
  std::map<std::string, std::vector<std::string>> branches;
  // Set on nested steps: the step and the list (e.g. "if_steps") under which
  // it runs. A step is guarded by at most one step.
  std::string guard_step;
  std::string guard_branch;

  const std::vector<std::string>& Branch(const std::string& list) const;
};

// A parsed pipeline definition. Steps are flattened: branch steps of
// conditions appear in `steps` after their condition. `steps` is a deque so
// that steps added while an execution runs (expansion.h) leave references to
// the others valid.
struct Definition {
  std::string name;
  std::string description;
  std::vector<ParameterDef> parameters;
  std::deque<StepDef> steps;

  std::string source_path;  // For messages; may be empty.
  std::string source_text;  // The exact text parsed, stored as the definition version.
  // Field path -> where it was written. Paths look like "pipeline",
  // "parameters.MseThreshold.default", "steps.AbaloneTrain.arguments.hyperparameters.eta",
  // "steps.CheckMse.arguments.conditions[0]".
  std::map<std::string, SourceLocation> locations;

  const StepDef* FindStep(const std::string& name) const;
  const ParameterDef* FindParameter(const std::string& name) const;

  // An InvalidArgument Status "<file>:<line>:<column>: <field>: <message>" for
  // a field path, using the closest known location (the path or its nearest
  // recorded parent).
  Status ErrorAt(const std::string& field, const std::string& message) const;
};

// Steps as JSON, the form in which steps added while an execution runs are
// recorded and cross processes: a list of {name, type, arguments,
// depends_on, description, cache: {enabled, expire_after_ms}, retry:
// {max_attempts, interval_seconds, backoff_rate}, branches, guard_step,
// guard_branch}.
Json StepDefsToJson(const std::vector<StepDef>& steps);
Result<std::vector<StepDef>> StepDefsFromJson(const Json& steps);

}  // namespace grove::pipeline
