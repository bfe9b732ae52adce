#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"
#include "pipeline/executor.h"
#include "store/callback_records.h"
#include "store/records.h"

namespace grove::app {

// An execution just started.
struct StartedExecution {
  std::string id;
  std::string pipeline;
  int version = 0;
};

// A selective re-run (Executions::Rerun).
struct RerunRequest {
  std::vector<std::string> steps;  // The steps that run again (as written in the definition).
  bool downstream = false;         // Also every step that depends on them.
  // Name -> text, as on the command line: override the source's values.
  std::map<std::string, std::string> parameters;
};

// Which executions to list, newest first.
struct ExecutionQuery {
  std::string pipeline;  // Empty: every pipeline; else it must exist (NotFound).
  int limit = 20;        // REQUIRES >= 1 (InvalidArgument otherwise).

  // InvalidArgument when the limit is below 1.
  Status CheckLimit() const;
};

// The log of one step run: the stored log artifact once the step ended, the
// live log while it runs; empty when neither exists yet.
struct StepLog {
  store::StepRunRecord run;
  std::string text;
};

// A piece of one step run's log (Executions::LogFrom).
struct StepLogPiece {
  store::StepRunRecord run;
  // The run had not ended (Starting, Executing or Stopping) when it was read:
  // `text` is from its live log, which may still grow, perhaps mid-line.
  bool running = false;
  // Bytes of the log from the offset asked for; empty at or past its end.
  std::string text;
};

// One output artifact of a step run.
struct StepOutput {
  std::string step;
  std::string name;
  store::ArtifactRecord artifact;
};

// The tuning trials of one step run, and the number of the best (-1: none).
struct StepTrials {
  std::string step;
  std::vector<store::TrialRecord> trials;  // Of the execution that ran the step (cache hits: the source's).
  int best = -1;
};

// Use cases of executions: start (read, validate, coerce, store, start),
// wait, list, describe, steps, logs, outputs, trials, stop. Errors: NotFound
// for an unknown execution, pipeline or step; InvalidArgument for bad input.
class Executions {
 public:
  // `executor` runs what Start starts; may be null for a caller that only reads or stops.
  explicit Executions(Home& home, pipeline::Executor* executor = nullptr) : home_(home), executor_(executor) {}

  // Takes over executions whose process died (lease expired, or owner on
  // this machine gone) and runs them on in the executor: steps that
  // succeeded are kept, the rest run (pipeline::Executor::Resume). A server
  // calls it periodically, so another server's executions finish when that
  // server dies. Returns the ids taken over; one that cannot be resumed ends
  // Failed with the reason. REQUIRES: an executor.
  Result<std::vector<std::string>> ResumeOrphans();

  // Reads and validates `file`, coerces `parameters` (Name -> text, as on the
  // command line), stores the definition version if it changed, and starts an
  // execution in the background. Nothing is stored when any check fails.
  // REQUIRES: an executor.
  Result<StartedExecution> Start(const std::string& file, const std::map<std::string, std::string>& parameters);
  // The same with typed JSON values (the REST API); strings are parsed as on the command line.
  Result<StartedExecution> Start(const std::string& file, const Json& parameters);
  // Starts the latest stored version of pipeline `name` (registered before,
  // e.g. by `grove pipeline create`), as SageMaker's StartPipelineExecution
  // does. Parameters are text, as on the command line. NotFound for an
  // unknown pipeline. REQUIRES: an executor.
  Result<StartedExecution> StartStored(const std::string& name, const std::map<std::string, std::string>& parameters);
  // The same with typed JSON values (the REST API); strings are parsed as on the command line.
  Result<StartedExecution> StartStored(const std::string& name, const Json& parameters);
  // Retries a Failed or Stopped execution from its failed step: starts a new
  // execution of the same definition version with the same parameters, in
  // which every step that succeeded before is served from the cache (steps
  // that are never cached, like RegisterModel, run again). FailedPrecondition
  // for an execution that has not ended, or that succeeded. REQUIRES: an executor.
  Result<StartedExecution> Retry(const std::string& id);
  // Re-runs chosen steps of an ended execution (SageMaker's
  // SelectiveExecutionConfig): a new execution of the same definition version,
  // with the source's parameters overridden by the request's, in which only
  // the chosen steps (and with `downstream` what depends on them) run; the
  // others are reused from the source (pipeline::Executor::Rerun, which records
  // them with the source as their cache-hit source and "reused_from").
  // FailedPrecondition for a running source, or naming a step the chosen ones
  // need that did not succeed there; InvalidArgument for an unknown step or
  // parameter. REQUIRES: an executor.
  Result<StartedExecution> Rerun(const std::string& id, const RerunRequest& request);
  // Blocks until an execution started by this executor ends; its final record.
  Result<store::ExecutionRecord> Wait(const std::string& id);

  Result<std::vector<store::ExecutionRecord>> List(const ExecutionQuery& query);
  Result<store::ExecutionRecord> Describe(const std::string& id);
  Result<std::vector<store::StepRunRecord>> Steps(const std::string& id);
  // The run of step `step`; NotFound for an unknown execution, or a step
  // without a run (naming those that have one).
  Result<store::StepRunRecord> StepRun(const std::string& id, const std::string& step);
  // Every step's log, or one step's (`step` not empty; NotFound naming the steps if it has no run).
  Result<std::vector<StepLog>> Logs(const std::string& id, const std::string& step);
  // Step `step`'s log from byte `offset` on, at most `max_bytes`: the run is
  // read first (StepRun, with its errors), then the live log while it runs,
  // or the stored log once it ended (the same bytes: the live log is stored
  // when the attempt ends).
  Result<StepLogPiece> LogFrom(const std::string& id, const std::string& step, uint64_t offset, size_t max_bytes);
  // The output artifacts of every step run, or of one step, by step then name.
  Result<std::vector<StepOutput>> Outputs(const std::string& id, const std::string& step);
  // The tuning trials of every step that has some, or of one step.
  Result<std::vector<StepTrials>> Trials(const std::string& id, const std::string& step);
  // Asks a running execution to stop, from any process. FailedPrecondition
  // when it is not running.
  Status Stop(const std::string& id);
  // Ends the wait of the Callback step holding `token` (SageMaker's
  // SendPipelineExecutionStepSuccess / -Failure): with `success`, `outputs`
  // (name -> value) become its output parameters; otherwise it fails with
  // `failure_reason`. NotFound for an unknown token; FailedPrecondition when
  // the wait has already ended.
  Result<store::CallbackRecord> CompleteCallback(const std::string& token, bool success, const Json& outputs,
                                                 const std::string& failure_reason);
  // The token of the Callback step `step` of execution `id`, if it has made one.
  Result<std::optional<std::string>> CallbackToken(const std::string& id, const std::string& step);

 private:
  template <typename Parameters>
  Result<StartedExecution> StartWith(const std::string& file, const Parameters& parameters);
  template <typename Parameters>
  Result<StartedExecution> StartStoredWith(const std::string& name, const Parameters& parameters);
  // The step runs of `id`, or the one run of `step` when not empty.
  Result<std::vector<store::StepRunRecord>> Runs(const std::string& id, const std::string& step);
  // Whether a step run has not ended: Starting, Executing or Stopping.
  static bool IsRunning(const store::StepRunRecord& run);
  // Where a run's log is: the stored log once it has one and has ended, else the live log.
  Result<std::filesystem::path> LogPath(const store::StepRunRecord& run);

  Home& home_;
  pipeline::Executor* executor_;
};

}  // namespace grove::app
