#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

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
  // Stop starting steps (a failure elsewhere or a stop request).
  void Halt() { halted_ = true; }

  bool halted() const { return halted_; }
  bool Done() const;  // Nothing running and nothing more will start.
  int running() const { return running_; }
  State state(const std::string& step) const { return states_.at(step); }

 private:
  void Skip(const std::string& step);
  bool IsReady(const std::string& step) const;

  const Definition& def_;
  std::map<std::string, std::set<std::string>> deps_;
  std::map<std::string, std::set<std::string>> dependants_;
  std::map<std::string, State> states_;
  std::map<std::string, std::string> branch_taken_;  // Step with nested lists -> the list that runs.
  int running_ = 0;
  bool halted_ = false;
};

}  // namespace grove::pipeline
