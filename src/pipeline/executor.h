#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/selective_run.h"
#include "pipeline/step_type.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

class ExecutionRun;
class StepLauncher;
struct AttemptResult;

struct ExecutorOptions {
  // Steps running at once across all executions of this executor.
  // Default: the number of cores.
  int max_parallel_steps = 0;
  // Scratch space: <work_dir>/<execution id>/<step>/ holds outputs while a step runs.
  std::filesystem::path work_dir;
  // Identifies this process in execution leases ("<host>:<pid>").
  std::string owner;
  // How long a lease lasts without renewal; renewed every third of it (by the executor's clock).
  TimeMs lease_ms = 30'000;
  // How often a running execution looks for a stop request made by another process.
  TimeMs stop_poll_ms = 200;
};

// Services the executor and its steps use. Not owned.
struct ExecutorServices {
  store::MetadataStore* metadata = nullptr;
  store::ArtifactStore* artifacts = nullptr;
  registry::Registry* registry = nullptr;
  const Clock* clock = nullptr;
  const StepTypeRegistry* step_types = nullptr;
};

// Called on every step status change (from the executor's thread; keep it quick).
using StepObserver = std::function<void(const store::StepRunRecord&)>;

// Runs executions: one loop (ninja's Builder) asks each execution's planner
// for ready steps, starts them on a StepLauncher while it has free slots
// (max_parallel_steps across executions), waits for one to end and records
// it: outputs, side effects (StepType::Commit), retries with backoff, the
// chosen branch, the execution's end. Leases are renewed and stop requests
// from other processes picked up on the same loop. Thread-safe.
class Executor {
 public:
  // Runs steps in this process on a pool of max_parallel_steps workers.
  Executor(ExecutorServices services, ExecutorOptions options);
  // Runs steps on `launcher` (its slots bound how many run at once).
  Executor(ExecutorServices services, ExecutorOptions options, std::unique_ptr<StepLauncher> launcher);
  ~Executor();  // Stops and waits for every execution.
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void SetObserver(StepObserver observer);
  const char* LauncherName() const;
  const ExecutorOptions& options() const { return options_; }

  // Creates an execution of `def` (stored as `version`) with coerced
  // `parameters` and starts it in the background. Returns its id.
  Result<std::string> Start(const Definition& def, int version, const Json& parameters);
  // Runs on an execution another process started and left behind (its owner
  // died): `record`, whose lease this executor already holds (see
  // store::WriteOrphanClaims), of `def` (as written, without expansions).
  // Step runs in `runs` that Succeeded are not run again: their outputs,
  // branch and expansion are replayed from the record, in dependency order;
  // every other step runs (from attempt 1).
  Status Resume(const Definition& def, const store::ExecutionRecord& record,
                const std::vector<store::StepRunRecord>& runs);
  // Starts a selective re-run (selective_run.h) of an ended execution of
  // `def` (stored as `version`) whose step runs are `source_runs`: a new
  // execution with `parameters` in which the planned steps run, and the steps
  // reused from the source are recorded at once as Succeeded with the source's
  // outputs, branch and expansion, `cache_hit_source` naming the source and
  // metadata "reused_from" saying so. Returns its id; PlanSelection's errors
  // before anything is stored.
  Result<std::string> Rerun(const Definition& def, int version, const Json& parameters, const Selection& selection,
                            const std::vector<store::StepRunRecord>& source_runs);
  // Blocks until the execution ends; returns its final record.
  Result<store::ExecutionRecord> Wait(const std::string& execution_id);
  // Asks a running execution to stop (its running steps are asked to stop).
  Status Stop(const std::string& execution_id);

 private:
  struct Queued {
    std::shared_ptr<ExecutionRun> run;
    std::string step;
    int attempt = 1;
    TimeMs ready_at = 0;
  };
  struct InFlight {
    std::shared_ptr<ExecutionRun> run;
    std::string step;
    int attempt = 1;
  };

  // A new execution's record: Executing, leased to this executor from now.
  store::ExecutionRecord NewRecord(const Definition& def, int version, const Json& parameters) const;
  // Registers `run` and queues `to_run` (AlreadyExists if it runs here already).
  Status Adopt(std::shared_ptr<ExecutionRun> run, const std::vector<std::string>& to_run);
  void Loop();
  void FindWork();
  int StartReady(TimeMs now);  // Returns ms until the next queued retry is due (or -1).
  void Launch(const Queued& item);
  void Finished(AttemptResult result);
  // Records a succeeded attempt: the step's effects (StepType::Commit) and
  // its step run in one transaction, then its outputs and the planner. On
  // error nothing is recorded and the caller fails (or retries) the attempt.
  Status RecordSuccess(ExecutionRun& run, const std::string& step, const AttemptResult& result);
  // Runs the step type's Commit in `txn`, the transaction recording the step run, merging what it adds to
  // `record`'s metadata. Also for a step that ends the execution (QualityCheck's quality.violation event).
  Status CommitStep(ExecutionRun& run, const std::string& step, const AttemptResult& result,
                    store::StoreTransaction& txn, store::StepRunRecord& record);
  void Retry(const InFlight& task, const std::string& reason);
  void RequestStop(ExecutionRun& run);
  void FinishEndedRuns();
  void RenewLeases(TimeMs now);
  void PollStopRequests();

  ExecutorServices services_;
  ExecutorOptions options_;
  std::unique_ptr<StepLauncher> launcher_;

  std::mutex mu_;
  std::condition_variable ended_cv_;  // An execution ended.
  std::map<std::string, std::shared_ptr<ExecutionRun>> runs_;  // Guarded by mu_.
  std::vector<Queued> queued_;                                 // Guarded by mu_.
  std::map<uint64_t, InFlight> in_flight_;                     // Guarded by mu_.
  uint64_t next_task_id_ = 1;                                  // Guarded by mu_.
  StepObserver observer_;                                      // Guarded by mu_.
  bool shutting_down_ = false;                                 // Guarded by mu_.
  TimeMs next_renewal_ = 0;                                    // Loop thread only.
  std::chrono::steady_clock::time_point next_stop_poll_;       // Loop thread only.
  std::thread loop_;
};

}  // namespace grove::pipeline
