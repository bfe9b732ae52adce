#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/slurm_commands.h"
#include "pipeline/step_command.h"
#include "pipeline/step_launcher.h"

namespace grove::pipeline {

// Runs each attempt as a Slurm job: `sbatch` of a script that runs the same
// `grove step-run` command line as SubprocessLauncher (step_command.h), with
// the step's CPUs (its slots) and memory, its output appended to the step's
// log. The items of one ForEach template started in the same executor turn
// (or in turns queued behind a submission in progress) go as one job array,
// each array task running its own item's command line.
//
// One poller thread makes every Slurm call, so the executor's loop never
// waits for Slurm: Start only queues (a turn's tasks are submitted when the
// executor next waits, which is what lets a turn's items form one array);
// the poller submits, looks for each attempt's result file (written by the
// step, its own report of how it ended), asks Slurm for the states of all
// live jobs in one `squeue`, and for a job that ended without a result asks
// `scontrol show job` why: OUT_OF_MEMORY, TIMEOUT, NODE_FAIL, ... become a
// failed attempt with that reason, so the step's retry policy applies.
// Cancel is `scancel`. An sbatch error fails its attempts with sbatch's message.
//
// Jobs run `grove` at the same path and see the same data folder, work dir
// and working directory as the owner: they must be on a filesystem the nodes
// share, as for any Slurm job.
class SlurmLauncher : public StepLauncher {
 public:
  struct Options {
    StepCommand command;                    // The grove executable and its global args.
    std::filesystem::path work_dir;         // As ExecutorOptions::work_dir.
    std::filesystem::path job_dir;          // Where jobs start (--chdir); empty: the owner's working directory.
    std::string partition;                  // Empty: the cluster's default partition.
    std::vector<std::string> sbatch_args;   // Added to every sbatch, e.g. {"--time=60", "--qos=ml"}.
    int slots = 256;                        // Jobs submitted and not yet ended, at most.
    uint64_t memory_mb = 0;                 // --mem of each job; 0: the cluster's default.
    int max_cpus = 0;                       // Caps --cpus-per-task; 0: no cap.
    int poll_ms = 100;                      // How often result files are looked for.
    int query_ms = 1000;                    // How often Slurm is asked for the jobs' states.
    // How long a job that Slurm says ended may take for its result file to
    // show (a shared filesystem's caches) before the attempt fails.
    int result_grace_ms = 3000;
  };

  SlurmLauncher(Options options, std::unique_ptr<SlurmCommands> slurm);
  ~SlurmLauncher() override;  // Cancels jobs still running.

  const char* Name() const override { return "slurm"; }
  int FreeSlots() const override { return ended_.FreeSlots(); }
  void Start(StepTask task) override;
  // Hands the tasks started since the last call to the poller, then waits.
  std::optional<AttemptResult> WaitForOne(int timeout_ms) override;
  void Wake() override { ended_.Wake(); }
  void Cancel(uint64_t task_id) override;

 private:
  using Clock = std::chrono::steady_clock;
  // One attempt: a job, or one task of a job array.
  struct Job {
    uint64_t task_id = 0;
    int slots = 1;
    int cpus = 1;
    std::string execution;
    std::string step;
    std::string group;  // ForEach items of one template share a group; empty: a job of its own.
    std::vector<std::string> argv;
    std::filesystem::path result_path;
    std::filesystem::path log_path;
    std::string job_id;  // "123", or "123_4" in an array; empty until submitted.
    bool cancel_requested = false;
    // The step reported Stopped though Grove did not cancel it: Slurm's
    // signal stopped it (a time limit, scancel, preemption), so the attempt
    // fails with Slurm's reason once Slurm says the job ended.
    bool stopped_by_slurm = false;
    Clock::time_point ended_seen{};  // When Slurm first said it ended without a result.
  };

  // The items of one template in one execution with the same CPUs form one
  // group (an array); every other job is a group of its own.
  static std::vector<std::vector<Job>> Grouped(std::vector<Job> jobs);

  void Poll();
  void SubmitAll(std::vector<Job> jobs);
  void CancelJobs(const std::vector<std::string>& job_ids);
  void SubmitGroup(std::vector<Job> group);
  std::vector<std::string> SbatchArgs(const Job& first, const std::string& name,
                                      const std::filesystem::path& output) const;
  void CollectResults();
  void QueryStates();
  // The attempt's result once its grace has passed, else nullopt. With mu_ held.
  std::optional<AttemptResult> EndedWithoutResult(Job& job, const SlurmJobState& state, Clock::time_point now);
  void Fail(const Job& job, const std::string& reason, const std::string& status = "Failed");

  const Options options_;
  std::unique_ptr<SlurmCommands> slurm_;  // Poller thread only.
  LauncherQueue ended_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Job> started_;              // This turn's tasks. Guarded by mu_.
  std::vector<Job> to_submit_;            // Guarded by mu_.
  std::vector<std::string> to_cancel_;    // Job ids. Guarded by mu_.
  std::set<uint64_t> submitting_;         // Tasks the poller is submitting. Guarded by mu_.
  // Of those, the ones asked to stop meanwhile: cancelled once they have a job. Guarded by mu_.
  std::set<uint64_t> cancel_when_submitted_;
  std::map<uint64_t, Job> jobs_;          // Submitted, by task id. Guarded by mu_.
  bool closing_ = false;                  // Guarded by mu_.
  Clock::time_point next_query_{};        // Poller thread only.
  std::thread poller_;
};

}  // namespace grove::pipeline
