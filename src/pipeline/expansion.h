#pragma once

// Steps added to a running execution by a step that returns
// StepResult::Expansion (ForEach: one set of steps per item), like ninja's
// dyndeps. The added steps are checked as if they had been written in the
// definition after the others, and recorded on the expanding step's run
// (metadata "expansion"), so any process that runs one of them (`grove
// step-run`) or shows the execution finds it.
//
// The rules:
//   - an added step has a new, unique, valid name and a known type, and its
//     arguments pass the same validation as a written step's;
//   - it waits for the expanding step and for what it references (written
//     steps or other added steps);
//   - every step waiting for the expanding step also waits for every added
//     step, so "after ForEach" means after all of its items.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"
#include "store/records.h"

namespace grove::pipeline {

// Parses the expressions of `added` (returned by step `parent` of `def`;
// ParseStepExpressions), checks them, and returns what each added step
// waits for, by name, `parent` included.
Result<std::map<std::string, std::set<std::string>>> CheckExpansion(const Definition& def,
                                                                   const std::string& parent,
                                                                   std::vector<StepDef>& added,
                                                                   const StepTypeRegistry& types);

// Appends to `def` the steps that `runs` (an execution's step runs) record as
// added, parsed, so they can be found by name. Malformed records are an error.
Status AddRecordedExpansions(Definition& def, const std::vector<store::StepRunRecord>& runs,
                             const StepTypeRegistry& types);

}  // namespace grove::pipeline
