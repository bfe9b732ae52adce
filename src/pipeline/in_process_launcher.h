#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "pipeline/step_launcher.h"

namespace grove::pipeline {

// Runs attempts on a fixed pool of worker threads in this process: no thread
// per step, no polling. A step that crashes the process takes the owner with
// it; SubprocessLauncher isolates steps.
class InProcessLauncher : public StepLauncher {
 public:
  InProcessLauncher(AttemptServices services, int slots);
  ~InProcessLauncher() override;  // Waits for running attempts.

  const char* Name() const override { return "in-process"; }
  int FreeSlots() const override { return ended_.FreeSlots(); }
  void Start(StepTask task) override;
  std::optional<AttemptResult> WaitForOne(int timeout_ms) override { return ended_.Pop(timeout_ms); }
  void Wake() override { ended_.Wake(); }

 private:
  void Work();

  const AttemptServices services_;
  LauncherQueue ended_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<StepTask> tasks_;  // Guarded by mu_.
  bool closing_ = false;        // Guarded by mu_.
  std::vector<std::thread> workers_;
};

}  // namespace grove::pipeline
