#include "pipeline/planner.h"

namespace grove::pipeline {

Planner::Planner(const Definition& def, std::map<std::string, std::set<std::string>> deps)
    : def_(def), deps_(std::move(deps)) {
  for (const StepDef& s : def_.steps) {
    states_[s.name] = State::kWaiting;
    deps_[s.name];  // Every step has an entry.
  }
  for (const auto& [step, ds] : deps_) {
    for (const std::string& d : ds) dependants_[d].insert(step);
  }
}

bool Planner::IsReady(const StepDef& step) const {
  for (const std::string& d : deps_.at(step.name)) {
    if (states_.at(d) != State::kSucceeded) return false;
  }
  if (auto joins = joins_.find(step.name); joins != joins_.end()) {
    for (const std::string& d : joins->second) {
      if (states_.at(d) != State::kSucceeded && !not_taken_.count(d)) return false;
    }
  }
  if (!step.guard_step.empty()) {
    auto it = branch_taken_.find(step.guard_step);
    if (it == branch_taken_.end() || it->second != step.guard_branch) return false;
  }
  return true;
}

std::vector<std::string> Planner::FindWork() {
  std::vector<std::string> work;
  if (halted_) return work;
  for (const StepDef& s : def_.steps) {
    if (states_[s.name] != State::kWaiting || !IsReady(s)) continue;
    states_[s.name] = State::kRunning;
    ++running_;
    work.push_back(s.name);
  }
  return work;
}

void Planner::Skip(const std::string& step, bool not_taken) {
  if (states_[step] != State::kWaiting) return;
  states_[step] = State::kSkipped;
  if (not_taken) {
    not_taken_.insert(step);
    // Steps nested under a step that will not run are not taken either.
    const StepDef* def = def_.FindStep(step);
    if (def != nullptr) {
      for (const auto& [list, steps] : def->branches) {
        for (const std::string& s : steps) Skip(s, true);
      }
    }
  }
  for (const std::string& d : dependants_[step]) Skip(d, not_taken);
}

void Planner::StepFinished(const std::string& step, bool succeeded, const std::string& branch) {
  if (states_[step] == State::kRunning) --running_;
  states_[step] = succeeded ? State::kSucceeded : State::kFailed;
  if (!succeeded) {
    if (!contained_by_.count(step)) {
      halted_ = true;
      return;
    }
    for (const std::string& d : dependants_[step]) Skip(d, false);
    return;
  }
  const StepDef* def = def_.FindStep(step);
  if (def == nullptr || def->branches.empty()) return;
  branch_taken_[step] = branch;
  for (const auto& [list, steps] : def->branches) {
    if (list == branch) continue;
    for (const std::string& s : steps) Skip(s, true);
  }
}

std::set<std::string> Planner::Dependants(const std::string& step) const {
  std::set<std::string> seen;
  std::vector<std::string> todo{step};
  while (!todo.empty()) {
    std::string s = std::move(todo.back());
    todo.pop_back();
    for (const auto* edges : {&dependants_, &join_dependants_}) {
      auto it = edges->find(s);
      if (it == edges->end()) continue;
      for (const std::string& d : it->second) {
        if (seen.insert(d).second) todo.push_back(d);
      }
    }
  }
  return seen;
}

std::string Planner::ContainedBy(const std::string& step) const {
  auto it = contained_by_.find(step);
  return it == contained_by_.end() ? "" : it->second;
}

Status Planner::AddSteps(const std::string& parent, const std::map<std::string, std::set<std::string>>& added,
                         bool contained) {
  const std::set<std::string> after_parent = Dependants(parent);
  for (const auto& [step, waits_for] : added) {
    if (states_.count(step)) return Status::AlreadyExists("a step named " + step + " already exists");
    for (const std::string& d : waits_for) {
      if (after_parent.count(d)) {
        return Status::InvalidArgument("added step " + step + " would wait for " + d + ", which waits for " +
                                       parent + " and so for " + step + " (a dependency cycle)");
      }
    }
  }
  for (const auto& [step, waits_for] : added) {
    states_[step] = State::kWaiting;
    deps_[step] = waits_for;
    if (contained) contained_by_[step] = parent;
    for (const std::string& d : waits_for) dependants_[d].insert(step);
  }
  for (const std::string& waiting : std::set<std::string>(dependants_[parent])) {
    if (added.count(waiting)) continue;
    for (const auto& [step, waits_for] : added) {
      joins_[waiting].insert(step);
      join_dependants_[step].insert(waiting);
    }
  }
  return Status::OK();
}

bool Planner::Done() const {
  if (running_ > 0) return false;
  if (halted_) return true;
  for (const StepDef& s : def_.steps) {
    auto it = states_.find(s.name);
    if (it != states_.end() && it->second == State::kWaiting && IsReady(s)) return false;
  }
  return true;
}

}  // namespace grove::pipeline
