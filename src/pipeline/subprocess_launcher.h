#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/step_command.h"
#include "pipeline/step_launcher.h"

namespace grove::pipeline {

// Runs each attempt as a child process (step_command.h's `grove step-run`
// command line), in a process group of its own and under a memory limit,
// with its output appended to the step's live log. A crash, abort() or kill of the child fails that
// attempt with the reason (exit code or signal) and nothing else: the owner
// carries on and retries per policy. Cancel sends SIGTERM to the child's
// group, then SIGKILL after the grace period. One thread waits for all
// children (pidfds and poll), none per step.
class SubprocessLauncher : public StepLauncher {
 public:
  struct Options {
    StepCommand command;                   // The grove executable and its global args.
    std::filesystem::path work_dir;        // As ExecutorOptions::work_dir.
    int slots = 1;
    int kill_grace_ms = 5000;
    // The address space each step's process may use (RLIMIT_AS), so a runaway
    // step fails its own allocation instead of waking the OOM killer, which
    // may pick the owner. 0: no limit. Not applied in sanitized builds
    // (common/sanitizers.h).
    uint64_t memory_limit_bytes = 0;
  };

  explicit SubprocessLauncher(Options options);
  ~SubprocessLauncher() override;  // Kills children still running.

  const char* Name() const override { return "subprocess"; }
  int FreeSlots() const override { return ended_.FreeSlots(); }
  void Start(StepTask task) override;
  std::optional<AttemptResult> WaitForOne(int timeout_ms) override { return ended_.Pop(timeout_ms); }
  void Wake() override { ended_.Wake(); }
  void Cancel(uint64_t task_id) override;

 private:
  struct Child {
    pid_t pid = -1;
    int pidfd = -1;
    int slots = 1;
    std::filesystem::path result_path;
    std::filesystem::path log_path;
    int64_t kill_at_ms = 0;  // Steady-clock ms when SIGKILL is due after a cancel; 0: none.
  };

  void Reap();
  void Ended(uint64_t task_id, const Child& child, int wait_status);
  void Poke();

  const Options options_;
  LauncherQueue ended_;
  std::mutex mu_;
  std::map<uint64_t, Child> children_;  // Guarded by mu_.
  bool closing_ = false;                // Guarded by mu_.
  int wake_fd_ = -1;                    // An eventfd that interrupts the reaper's poll.
  std::thread reaper_;
};

}  // namespace grove::pipeline
