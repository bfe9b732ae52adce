#include "app/executions.h"

#include "app/pipelines.h"
#include "common/file_util.h"
#include "pipeline/parameters.h"
#include "pipeline/step_attempt.h"
#include "pipeline/steps/tuning_results.h"

namespace grove::app {

namespace {

// The trials of one step run: its own, or those of the execution it was a cache hit of.
Result<std::vector<store::TrialRecord>> RunTrials(store::MetadataStore* metadata, const store::StepRunRecord& run) {
  ASSIGN_OR_RETURN(std::vector<store::TrialRecord> trials, metadata->ListTrials(run.execution_id, run.step_name));
  if (!trials.empty() || run.cache_hit_source.empty()) return trials;
  return metadata->ListTrials(run.cache_hit_source, run.step_name);
}

// The number of the best trial, by the Tuning step's own rule; -1 for none.
int BestNumber(const std::vector<store::TrialRecord>& trials) {
  std::vector<ml::TrialResult> results;
  for (const store::TrialRecord& t : trials) results.push_back(pipeline::FromTrialRecord(t));
  std::optional<size_t> best = ml::Tuner::Best(results);
  return best ? results[*best].spec.number : -1;
}

}  // namespace

template <typename Parameters>
Result<StartedExecution> Executions::StartWith(const std::string& file, const Parameters& parameters) {
  if (executor_ == nullptr) return Status::Internal("Executions::Start without an executor");
  ASSIGN_OR_RETURN(pipeline::Definition def, Pipelines::Read(file));
  ASSIGN_OR_RETURN(Json values, pipeline::CoerceParameters(def, parameters));
  ASSIGN_OR_RETURN(RegisteredDefinition stored, Pipelines(home_).Store(std::move(def)));
  ASSIGN_OR_RETURN(std::string id, executor_->Start(stored.definition, stored.version, values));
  return StartedExecution{id, stored.definition.name, stored.version};
}

Result<StartedExecution> Executions::Start(const std::string& file,
                                           const std::map<std::string, std::string>& parameters) {
  return StartWith(file, parameters);
}

Result<StartedExecution> Executions::Start(const std::string& file, const Json& parameters) {
  return StartWith(file, parameters);
}

Result<StartedExecution> Executions::StartStored(const std::string& name,
                                                 const std::map<std::string, std::string>& parameters) {
  return StartStoredWith(name, parameters);
}

Result<StartedExecution> Executions::StartStored(const std::string& name, const Json& parameters) {
  return StartStoredWith(name, parameters);
}

template <typename Parameters>
Result<StartedExecution> Executions::StartStoredWith(const std::string& name, const Parameters& parameters) {
  if (executor_ == nullptr) return Status::Internal("Executions::StartStored without an executor");
  ASSIGN_OR_RETURN(PipelineDescription stored, Pipelines(home_).Describe(name, 0));
  ASSIGN_OR_RETURN(pipeline::Definition def, Pipelines::Parse(stored.definition));
  ASSIGN_OR_RETURN(Json values, pipeline::CoerceParameters(def, parameters));
  ASSIGN_OR_RETURN(std::string id, executor_->Start(def, stored.definition.version, values));
  return StartedExecution{id, def.name, stored.definition.version};
}

Result<std::vector<std::string>> Executions::ResumeOrphans() {
  if (executor_ == nullptr) return Status::Internal("Executions::ResumeOrphans without an executor");
  constexpr size_t kAtOnce = 16;  // The rest at the next call.
  const pipeline::ExecutorOptions& options = executor_->options();
  ASSIGN_OR_RETURN(std::vector<store::ExecutionRecord> claimed,
                   home_.metadata()->ClaimOrphanedExecutions(options.owner, home_.clock()->Now() + options.lease_ms,
                                                             kAtOnce));
  std::vector<std::string> ids;
  for (const store::ExecutionRecord& e : claimed) {
    Status resumed = [&]() -> Status {
      ASSIGN_OR_RETURN(PipelineDescription stored, Pipelines(home_).Describe(e.pipeline, e.version));
      ASSIGN_OR_RETURN(pipeline::Definition def, Pipelines::Parse(stored.definition));
      ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, home_.metadata()->ListStepRuns(e.id));
      return executor_->Resume(def, e, runs);
    }();
    if (!resumed.ok()) {
      (void)home_.metadata()->UpdateExecutionStatus(e.id, store::kFailed, "cannot resume: " + resumed.message(),
                                                    home_.clock()->Now());
      continue;
    }
    ids.push_back(e.id);
  }
  return ids;
}

Result<StartedExecution> Executions::Retry(const std::string& id) {
  if (executor_ == nullptr) return Status::Internal("Executions::Retry without an executor");
  ASSIGN_OR_RETURN(store::ExecutionRecord failed, Describe(id));
  if (failed.status != store::kFailed && failed.status != store::kStopped) {
    return Status::FailedPrecondition("execution " + id + " is " + failed.status +
                                      "; only a Failed or Stopped execution can be retried");
  }
  ASSIGN_OR_RETURN(PipelineDescription stored, Pipelines(home_).Describe(failed.pipeline, failed.version));
  ASSIGN_OR_RETURN(pipeline::Definition def, Pipelines::Parse(stored.definition));
  ASSIGN_OR_RETURN(std::string started, executor_->Start(def, failed.version, failed.parameters));
  return StartedExecution{started, def.name, failed.version};
}

Result<StartedExecution> Executions::Rerun(const std::string& id, const RerunRequest& request) {
  if (executor_ == nullptr) return Status::Internal("Executions::Rerun without an executor");
  ASSIGN_OR_RETURN(store::ExecutionRecord source, Describe(id));
  if (source.status == store::kExecuting || source.status == store::kStopping) {
    return Status::FailedPrecondition("execution " + id + " is " + source.status +
                                      "; re-run steps of an execution that has ended (grove execution wait " + id + ")");
  }
  ASSIGN_OR_RETURN(PipelineDescription stored, Pipelines(home_).Describe(source.pipeline, source.version));
  ASSIGN_OR_RETURN(pipeline::Definition def, Pipelines::Parse(stored.definition));
  Json values = source.parameters.is_object() ? source.parameters : Json::object();
  for (const auto& [name, text] : request.parameters) values[name] = text;  // Text: coerced as on the command line.
  ASSIGN_OR_RETURN(values, pipeline::CoerceParameters(def, values));
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, home_.metadata()->ListStepRuns(id));
  pipeline::Selection selection{id, request.steps, request.downstream};
  ASSIGN_OR_RETURN(std::string started, executor_->Rerun(def, source.version, values, selection, runs));
  return StartedExecution{started, def.name, source.version};
}

Result<store::ExecutionRecord> Executions::Wait(const std::string& id) {
  if (executor_ == nullptr) return Status::Internal("Executions::Wait without an executor");
  return executor_->Wait(id);
}

Status ExecutionQuery::CheckLimit() const {
  if (limit >= 1) return Status::OK();
  return Status::InvalidArgument("limit " + std::to_string(limit) +
                                 ": expected 1 or more (leave it out for the newest 20)");
}

Result<std::vector<store::ExecutionRecord>> Executions::List(const ExecutionQuery& query) {
  RETURN_IF_ERROR(query.CheckLimit());
  if (!query.pipeline.empty()) RETURN_IF_ERROR(home_.metadata()->GetPipeline(query.pipeline).status());
  return home_.metadata()->ListExecutions(query.pipeline, query.limit);
}

Result<store::ExecutionRecord> Executions::Describe(const std::string& id) {
  return home_.metadata()->GetExecution(id);
}

Result<std::vector<store::StepRunRecord>> Executions::Steps(const std::string& id) {
  return home_.metadata()->ListStepRuns(id);
}

Result<store::StepRunRecord> Executions::StepRun(const std::string& id, const std::string& step) {
  return home_.metadata()->GetStepRun(id, step);
}

Result<std::vector<store::StepRunRecord>> Executions::Runs(const std::string& id, const std::string& step) {
  if (step.empty()) return home_.metadata()->ListStepRuns(id);
  ASSIGN_OR_RETURN(store::StepRunRecord run, StepRun(id, step));
  return std::vector<store::StepRunRecord>{std::move(run)};
}

Result<std::vector<StepLog>> Executions::Logs(const std::string& id, const std::string& step) {
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, Runs(id, step));
  std::vector<StepLog> logs;
  for (store::StepRunRecord& run : runs) {
    Result<std::filesystem::path> path = LogPath(run);
    Result<std::string> text = path.ok() ? ReadFile(*path) : path.status();
    logs.push_back({std::move(run), text.ok() ? *text : ""});
  }
  return logs;
}

Result<StepLogPiece> Executions::LogFrom(const std::string& id, const std::string& step, uint64_t offset,
                                         size_t max_bytes) {
  StepLogPiece piece;
  ASSIGN_OR_RETURN(piece.run, StepRun(id, step));
  piece.running = IsRunning(piece.run);
  ASSIGN_OR_RETURN(std::filesystem::path path, LogPath(piece.run));
  Result<std::string> text = ReadFileFrom(path, offset, max_bytes);
  if (text.ok()) {
    piece.text = std::move(*text);
  } else if (text.status().code() != StatusCode::kNotFound) {  // No log file yet: nothing written.
    return text.status();
  }
  return piece;
}

bool Executions::IsRunning(const store::StepRunRecord& run) {
  return run.status == store::kStarting || run.status == store::kExecuting || run.status == store::kStopping;
}

Result<std::filesystem::path> Executions::LogPath(const store::StepRunRecord& run) {
  if (run.log_digest.empty() || IsRunning(run)) {
    return pipeline::StepLogPath(home_.work(), run.execution_id, run.step_name);
  }
  return home_.artifacts()->LocalPath(run.log_digest);
}

Result<std::vector<StepOutput>> Executions::Outputs(const std::string& id, const std::string& step) {
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, Runs(id, step));
  std::vector<StepOutput> outputs;
  for (const store::StepRunRecord& run : runs) {
    for (const auto& [name, digest] : run.outputs.items()) {
      if (!digest.is_string()) continue;
      ASSIGN_OR_RETURN(store::ArtifactRecord artifact, home_.metadata()->GetArtifact(digest.get<std::string>()));
      outputs.push_back({run.step_name, name, std::move(artifact)});
    }
  }
  return outputs;
}

Result<std::vector<StepTrials>> Executions::Trials(const std::string& id, const std::string& step) {
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, Runs(id, step));
  std::vector<StepTrials> out;
  for (const store::StepRunRecord& run : runs) {
    ASSIGN_OR_RETURN(std::vector<store::TrialRecord> trials, RunTrials(home_.metadata(), run));
    if (trials.empty() && step.empty()) continue;
    int best = BestNumber(trials);
    out.push_back({run.step_name, std::move(trials), best});
  }
  return out;
}

Status Executions::Stop(const std::string& id) { return home_.metadata()->RequestStop(id); }

Result<store::CallbackRecord> Executions::CompleteCallback(const std::string& token, bool success,
                                                           const Json& outputs, const std::string& failure_reason) {
  store::CallbackRecord done;
  RETURN_IF_ERROR(home_.metadata()->Transact([&](store::StoreTransaction& txn) -> Status {
    const TimeMs now = home_.clock()->Now();
    ASSIGN_OR_RETURN(done, store::CompleteCallback(txn, token, success ? "Succeeded" : "Failed", outputs,
                                                   failure_reason, now));
    return txn.AppendEvent(now, success ? "step.callback_succeeded" : "step.callback_failed",
                           done.execution_id + "/" + done.step, {{"token", token}})
        .status();
  }));
  return done;
}

Result<std::optional<std::string>> Executions::CallbackToken(const std::string& id, const std::string& step) {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) {
    return store::FindCallbackOfStep(rows, id, step);
  });
}

}  // namespace grove::app
