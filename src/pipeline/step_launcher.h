#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "pipeline/step_attempt.h"

namespace grove::pipeline {

// Where step attempts run (ninja's CommandRunner). The executor is one loop
// over it: start tasks while it can run more, wait for one to end, record it.
// Implementations: InProcessLauncher (a worker pool), SubprocessLauncher
// (`grove step-run`, so a crash fails the step, not the owner), SlurmLauncher
// (`grove step-run` as a Slurm job) and, in tests, a fake. Start, WaitForOne and Cancel are called from the executor's loop
// thread; Wake from any thread.
class StepLauncher {
 public:
  virtual ~StepLauncher() = default;
  virtual const char* Name() const = 0;
  // Slots not held by running tasks; the executor starts work only when one is free.
  virtual int FreeSlots() const = 0;
  bool CanRunMore() const { return FreeSlots() > 0; }
  // Starts the task; it holds task.slots slots until it ends.
  virtual void Start(StepTask task) = 0;
  // The result of a task that ended, waiting up to `timeout_ms` for one;
  // nullopt on timeout or after Wake().
  virtual std::optional<AttemptResult> WaitForOne(int timeout_ms) = 0;
  // Makes the current or next WaitForOne return at once.
  virtual void Wake() = 0;
  // Asks a running task to stop now (its stop flag is already set).
  virtual void Cancel(uint64_t task_id) {}
};

// The slot count and the queue of ended tasks that launchers share. Thread-safe.
class LauncherQueue {
 public:
  explicit LauncherQueue(int slots) : free_(slots) {}
  int FreeSlots() const;
  void Take(int slots);
  // Queues an ended task's result and frees its slots.
  void Push(AttemptResult result, int slots);
  std::optional<AttemptResult> Pop(int timeout_ms);
  void Wake();

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int free_;                          // Guarded by mu_.
  std::deque<AttemptResult> ended_;   // Guarded by mu_.
  bool woken_ = false;                // Guarded by mu_.
};

}  // namespace grove::pipeline
