#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/definition.h"

namespace grove::pipeline {

// Decides which steps of one execution may start, ninja-style: the executor
// asks FindWork() for ready steps and reports each end with StepFinished().
//
// A step is ready when every dependency succeeded and, for a nested step
// (e.g. in a Condition's branch), its guard chose its list. Steps in the branch not
// taken, and everything depending on them, are skipped. After a failure no
// new step starts (running ones finish), as SageMaker does.
// Not thread-safe: the executor calls it under its own lock.
class Planner {
 public:
  enum class State { kWaiting, kReady, kRunning, kSucceeded, kFailed, kSkipped };

  // `deps` maps every step to the steps it waits for (StepGraph's edges).
  Planner(const Definition& def, std::map<std::string, std::set<std::string>> deps);

  // Ready steps, in definition order, now marked running.
  std::vector<std::string> FindWork();
  // Reports a finished step. For a step with nested step lists, `branch` names
  // the list that runs (StepResult::Branch); the steps of the others are skipped.
  void StepFinished(const std::string& step, bool succeeded, const std::string& branch = "");
  // Adds steps while the execution runs (StepResult::Expansion; see
  // expansion.h): `added` maps each new step to what it waits for, `parent`
  // (the running step that added them) included. Steps waiting for `parent`
  // also wait for every added step to succeed or not be taken (in a branch
  // not chosen), so "after a ForEach" means after all its items' work. Refused, changing nothing, when a name is
  // taken or an added step would wait for a step that waits for `parent`.
  // The caller appends the steps' definitions to the Definition the planner
  // reads before calling FindWork again.
  // With `contained`, a failing added step does not halt the execution: the
  // steps waiting for it are skipped and the rest goes on (ContainedFailure).
  Status AddSteps(const std::string& parent, const std::map<std::string, std::set<std::string>>& added,
                  bool contained = false);
  // The step that added `step` when it was added with `contained`, else "".
  std::string ContainedBy(const std::string& step) const;
  // Marks a waiting step, and what waits for it, skipped before it runs: a
  // selective re-run's steps outside the selection (selective_run.h).
  void Exclude(const std::string& step) { Skip(step, false); }
  // Stop starting steps (a failure elsewhere or a stop request).
  void Halt() { halted_ = true; }

  bool halted() const { return halted_; }
  bool Done() const;  // Nothing running and nothing more will start.
  int running() const { return running_; }
  State state(const std::string& step) const { return states_.at(step); }

 private:
  // Marks `step` and what waits for it skipped; `not_taken`: because a branch was not chosen.
  void Skip(const std::string& step, bool not_taken);
  // Every step that waits, directly or not, for `step`.
  std::set<std::string> Dependants(const std::string& step) const;
  bool IsReady(const StepDef& step) const;

  const Definition& def_;
  std::map<std::string, std::set<std::string>> deps_;
  std::map<std::string, std::set<std::string>> dependants_;
  std::map<std::string, State> states_;
  std::map<std::string, std::string> branch_taken_;  // Step with nested lists -> the list that runs.
  std::map<std::string, std::string> contained_by_;  // Added step -> the step that added it, contained.
  // Step -> added steps it waits for (see AddSteps), and the reverse.
  std::map<std::string, std::set<std::string>> joins_;
  std::map<std::string, std::set<std::string>> join_dependants_;
  std::set<std::string> not_taken_;  // Skipped because a branch was not chosen.
  int running_ = 0;
  bool halted_ = false;
};

}  // namespace grove::pipeline
