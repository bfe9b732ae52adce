#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/definition.h"
#include "store/records.h"

namespace grove::pipeline {

// A selective re-run (SageMaker's SelectiveExecutionConfig): which steps of an
// ended execution run again; the others are reused from it.
struct Selection {
  std::string source_execution;  // The execution whose step runs are reused.
  std::vector<std::string> steps;  // Written steps of the definition that run again.
  bool downstream = false;         // Also every step that depends on them, directly or not.
};

// What a selective re-run does with each written step.
struct SelectivePlan {
  // The chosen steps (and, with `downstream`, what depends on them): they run.
  std::set<std::string> run;
  // Steps that neither run nor are reused: they depend on a chosen step without
  // being chosen (their inputs changed), or did not succeed in the source. The
  // planner skips them and what depends on them (Planner::Exclude).
  std::set<std::string> excluded;
  // Every other step succeeded in the source and is reused: its runs by name.
  std::map<std::string, store::StepRunRecord> reused;
};

// Plans `selection` over `def` (`deps`: what each step waits for, StepGraph's
// edges) and `source_runs`, the source execution's step runs. Errors, before
// anything runs: InvalidArgument for no steps or a name that is not a written
// step (naming the closest ones); FailedPrecondition naming the step when a
// chosen step depends on a step that did not succeed in the source, or on a
// step that itself depends on a chosen one (choose it too, or --downstream),
// or lies in a branch the source did not take.
Result<SelectivePlan> PlanSelection(const Definition& def, const std::map<std::string, std::set<std::string>>& deps,
                                    const Selection& selection, const std::vector<store::StepRunRecord>& source_runs);

}  // namespace grove::pipeline
