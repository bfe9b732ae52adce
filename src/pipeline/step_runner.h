#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "common/json.h"
#include "pipeline/executor.h"

namespace grove::pipeline {

// How one step run ended.
struct StepOutcome {
  std::string status;          // Succeeded | Failed | Stopped.
  std::string failure_reason;
  std::map<std::string, std::string> outputs;  // Output name -> artifact digest.
  bool branch = true;          // Condition steps: the branch taken.
  bool is_fail_step = false;   // A Fail step ran: the execution fails with its message.
};

// Runs one step of one execution to its end: ingests its inputs, looks up the
// cache, runs attempts per the retry policy, stores outputs and log as
// artifacts, and records every status change (and lineage) in the metadata store.
// One instance per step run. Thread-safe: MarkStopping may be called from
// another thread while Run runs.
class StepRunner {
 public:
  StepRunner(const ExecutorServices& services, const ExecutorOptions& options, StepObserver observer,
             const std::string& execution_id, const std::string& pipeline, const StepDef& step, const StepType& type);

  // `arguments` are resolved. `stop` is set when the execution is asked to stop.
  // `slots`: executor slots held for the step; its thread budget is
  // cores * slots / max_parallel_steps (at least 1).
  StepOutcome Run(const Json& arguments, const std::atomic<bool>& stop, int slots = 1);
  // Records the run as Stopping if it is still starting or executing.
  void MarkStopping();
  // Records the run as ended without running it (e.g. its arguments did not resolve).
  StepOutcome Fail(const std::string& reason, const std::string& status = "Failed");

 private:
  struct Inputs {
    std::map<std::string, Json> digests;  // Argument name -> digest(s), shaped like the argument.
    std::vector<store::ArtifactRecord> artifacts;
    std::vector<store::ArtifactLink> links;
  };

  Result<Inputs> IngestInputs(const Json& arguments);
  Result<Json> IngestValue(const Json& value, const std::string& arg, Inputs* inputs);
  bool TryCache(const Inputs& inputs, StepOutcome* outcome);
  Status Attempt(int attempt, const Json& arguments, const Json& input_digests, const std::atomic<bool>& stop,
                 std::string* log, StepOutcome* outcome, std::vector<store::ArtifactRecord>* artifacts);
  bool WaitBeforeRetry(double seconds, const std::atomic<bool>& stop);
  StepOutcome Finish(const std::string& status, const std::string& reason, StepOutcome outcome,
                     const std::vector<store::ArtifactRecord>& artifacts, const std::vector<store::ArtifactLink>& links);
  // Applies `change` to the run record and stores it, under mu_.
  void Update(const std::function<void(store::StepRunRecord&)>& change,
              const std::vector<store::ArtifactRecord>& artifacts = {},
              const std::vector<store::ArtifactLink>& links = {});

  const ExecutorServices& services_;
  const ExecutorOptions& options_;
  const StepObserver observer_;
  const std::string pipeline_;
  const StepDef& step_;
  const StepType& type_;

  int slots_ = 1;  // Set by Run, read by its attempts.
  std::mutex mu_;
  store::StepRunRecord run_;  // Guarded by mu_.
};

}  // namespace grove::pipeline
