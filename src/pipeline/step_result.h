#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"

namespace grove::pipeline {

// What a step tells the executor besides its outputs. Every step returns one
// kind; the reader, validator and planner need no step type by name:
//   kOutputs           the step wrote its outputs (the default);
//   kBranch            the step chose one of its nested step lists (`branch`
//                      names the argument holding it, e.g. "if_steps");
//   kExecutionFailure  the whole execution fails with `message` (a Fail step);
//                      never retried;
//   kExpansion         the step adds `steps` to the running graph (ForEach).
//                      With `contained`, a failing added step fails only the
//                      steps that wait for it, not the execution's other
//                      work (a ForEach item fails alone); the execution still
//                      ends Failed, naming them.
struct StepResult {
  enum class Kind { kOutputs, kBranch, kExecutionFailure, kExpansion };
  Kind kind = Kind::kOutputs;
  std::string branch;
  std::string message;
  std::vector<StepDef> steps;
  bool contained = false;

  static StepResult Outputs() { return {}; }
  static StepResult Branch(std::string name) { return {Kind::kBranch, std::move(name), "", {}}; }
  static StepResult FailExecution(std::string message) {
    return {Kind::kExecutionFailure, "", std::move(message), {}};
  }
  static StepResult Expansion(std::vector<StepDef> steps, bool contained = false) {
    return {Kind::kExpansion, "", "", std::move(steps), contained};
  }

  // The kind as recorded in step run metadata: "outputs", "branch", "fail", "expansion".
  const char* KindName() const;

  // The form that crosses processes: {kind, branch, message, steps}.
  Json ToJson() const;
  static Result<StepResult> FromJson(const Json& j);

  // A step run's metadata keeps the branch ("branch") and the added steps
  // ("expansion", and "expansion_contained" when set), so a cache hit replays the same result. Outputs and
  // execution failures leave no trace there.
  void RecordInMetadata(Json& metadata) const;
  static Result<StepResult> FromMetadata(const Json& metadata);
};

}  // namespace grove::pipeline
