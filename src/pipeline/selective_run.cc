#include "pipeline/selective_run.h"

#include <algorithm>

#include "common/edit_distance.h"
#include "pipeline/step_result.h"

namespace grove::pipeline {

namespace {

// Every step reached from `from` along `edges` (not `from` itself, unless on a cycle).
std::set<std::string> Reached(const std::set<std::string>& from, const std::map<std::string, std::set<std::string>>& edges) {
  std::set<std::string> seen;
  std::vector<std::string> todo(from.begin(), from.end());
  while (!todo.empty()) {
    std::string step = std::move(todo.back());
    todo.pop_back();
    auto it = edges.find(step);
    if (it == edges.end()) continue;
    for (const std::string& next : it->second) {
      if (seen.insert(next).second) todo.push_back(next);
    }
  }
  return seen;
}

// "did you mean X?" for the closest written step, else the written steps.
std::string StepHint(const Definition& def, const std::string& name) {
  const StepDef* closest = nullptr;
  size_t best = 4;  // Farther than 3 edits is no hint.
  std::string all;
  for (const StepDef& s : def.steps) {
    size_t d = EditDistance(name, s.name, /*ignore_case=*/true);
    if (d < best) {
      best = d;
      closest = &s;
    }
    all += (all.empty() ? "" : ", ") + s.name;
  }
  return closest != nullptr ? "did you mean " + closest->name + "?" : "its steps: " + all;
}

bool Succeeded(const store::StepRunRecord* run) { return run != nullptr && run->status == store::kSucceeded; }

}  // namespace

Result<SelectivePlan> PlanSelection(const Definition& def, const std::map<std::string, std::set<std::string>>& deps,
                                    const Selection& selection, const std::vector<store::StepRunRecord>& source_runs) {
  const std::string& source_id = selection.source_execution;
  if (selection.steps.empty()) {
    return Status::InvalidArgument("no step chosen to re-run: name one or more, e.g. --steps Train,Evaluate");
  }
  std::map<std::string, const store::StepRunRecord*> source;
  for (const store::StepRunRecord& r : source_runs) source[r.step_name] = &r;
  auto source_run = [&](const std::string& step) -> const store::StepRunRecord* {
    auto it = source.find(step);
    return it == source.end() ? nullptr : it->second;
  };
  SelectivePlan plan;
  for (const std::string& name : selection.steps) {
    if (def.FindStep(name) == nullptr) {
      return Status::InvalidArgument("--steps: '" + name + "' is not a step of pipeline " + def.name + " (" +
                                     StepHint(def, name) + ")");
    }
    plan.run.insert(name);
  }
  std::map<std::string, std::set<std::string>> dependants;
  for (const auto& [step, waits_for] : deps) {
    for (const std::string& d : waits_for) dependants[d].insert(step);
  }
  std::set<std::string> after;  // Depend on a chosen step without running: their inputs changed.
  for (const std::string& s : Reached(plan.run, dependants)) {
    if (!plan.run.count(s)) after.insert(s);
  }
  if (selection.downstream) {
    plan.run.insert(after.begin(), after.end());
    after.clear();
  }
  for (const StepDef& chosen : def.steps) {
    // Downstream steps follow the planner: one whose other inputs are missing is skipped, as in a branch not taken.
    if (std::find(selection.steps.begin(), selection.steps.end(), chosen.name) == selection.steps.end()) continue;
    for (const std::string& up : Reached({chosen.name}, deps)) {
      if (plan.run.count(up)) continue;
      if (after.count(up)) {
        return Status::FailedPrecondition("step " + chosen.name + " depends on " + up +
                                          ", which depends on a chosen step: choose " + up + " too, or add --downstream");
      }
      const store::StepRunRecord* run = source_run(up);
      if (!Succeeded(run)) {
        return Status::FailedPrecondition("step " + chosen.name + " depends on step " + up + ", which " +
                                          (run == nullptr ? "did not run" : "ended " + run->status) + " in execution " +
                                          source_id + ": choose " + up + " too, or re-run an execution where it succeeded");
      }
    }
    if (!chosen.guard_step.empty() && !plan.run.count(chosen.guard_step)) {
      ASSIGN_OR_RETURN(StepResult guard, StepResult::FromMetadata(source_run(chosen.guard_step)->metadata));
      if (guard.branch != chosen.guard_branch) {
        return Status::FailedPrecondition("step " + chosen.name + " is in " + chosen.guard_step + "'s " +
                                          chosen.guard_branch + ", which execution " + source_id +
                                          " did not take (it took " + (guard.branch.empty() ? "none" : guard.branch) +
                                          "): choose " + chosen.guard_step + " too");
      }
    }
  }
  std::vector<std::string> reusable;
  for (const StepDef& s : def.steps) {
    if (plan.run.count(s.name)) continue;
    if (after.count(s.name) || !Succeeded(source_run(s.name))) {
      plan.excluded.insert(s.name);
    } else {
      reusable.push_back(s.name);
    }
  }
  // A reused step's expansion is replayed: the steps it added are reused too.
  while (!reusable.empty()) {
    std::string step = std::move(reusable.back());
    reusable.pop_back();
    const store::StepRunRecord* run = source_run(step);
    if (!Succeeded(run) || plan.reused.count(step)) continue;
    plan.reused[step] = *run;
    ASSIGN_OR_RETURN(StepResult result, StepResult::FromMetadata(run->metadata));
    for (const StepDef& added : result.steps) reusable.push_back(added.name);
  }
  return plan;
}

}  // namespace grove::pipeline
