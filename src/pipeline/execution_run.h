#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/executor.h"
#include "pipeline/expression.h"
#include "pipeline/planner.h"
#include "pipeline/step_runner.h"

namespace grove::pipeline {

// Gives out step slots shared by all executions of one executor.
class SlotPool {
 public:
  explicit SlotPool(int slots) : free_(slots) {}
  // Takes a slot, waiting for one; false if `stop` became true first.
  bool Acquire(const std::atomic<bool>& stop);
  // Takes up to `n` more slots without waiting; returns how many it took.
  int TryAcquire(int n);
  void Release(int n = 1);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;  // Guarded by mu_.
};

// One execution in flight: a coordinator thread that asks the planner for
// ready steps, resolves their arguments, runs each on its own thread (one
// slot each), and records the execution's end.
class ExecutionRun {
 public:
  ExecutionRun(const ExecutorServices& services, const ExecutorOptions& options, SlotPool* slots,
               StepObserver observer, Definition def, std::map<std::string, std::set<std::string>> deps,
               store::ExecutionRecord record);
  ~ExecutionRun();

  void Start();
  void RequestStop();
  // Blocks until the execution has ended.
  void Wait();
  const std::string& id() const { return record_.id; }

 private:
  struct StepState {
    std::map<std::string, std::string> outputs;  // Output name -> digest.
    std::optional<Json> property_file;           // Parsed on first JsonGet.
  };

  void Coordinate();
  void Launch(const std::string& step);
  void RunStep(const std::string& step);
  bool PollStopRequest();
  ResolveContext MakeResolveContext();
  void Finish();

  const ExecutorServices& services_;
  const ExecutorOptions& options_;
  SlotPool* slots_;
  StepObserver observer_;
  const Definition def_;
  store::ExecutionRecord record_;
  std::atomic<bool> stop_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  Planner planner_;                                           // Guarded by mu_.
  std::map<std::string, StepState> steps_;                    // Guarded by mu_.
  std::map<std::string, std::shared_ptr<StepRunner>> running_;// Guarded by mu_.
  std::string failure_reason_;                                // Guarded by mu_.
  bool stopped_ = false;                                      // Guarded by mu_.
  bool done_ = false;                                         // Guarded by mu_.
  std::vector<std::thread> threads_;                          // Guarded by mu_.
  std::thread coordinator_;
};

}  // namespace grove::pipeline
