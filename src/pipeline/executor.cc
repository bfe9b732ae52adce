#include "pipeline/executor.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "common/ids.h"
#include "pipeline/execution_run.h"
#include "pipeline/graph.h"
#include "pipeline/in_process_launcher.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

namespace {

std::string DefaultOwner() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

ExecutorOptions WithDefaults(ExecutorOptions options) {
  if (options.max_parallel_steps <= 0) options.max_parallel_steps = Cores();
  if (options.owner.empty()) options.owner = DefaultOwner();
  return options;
}

// Runs StepType::Commit with a catch-all, like the step body.
Status CommitEffects(const StepType& type, CommitContext& ctx) {
  try {
    return type.Commit(ctx);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("recording the step's effects threw: ") + e.what());
  }
}

}  // namespace

Executor::Executor(ExecutorServices services, ExecutorOptions options)
    : Executor(services, options, nullptr) {}

Executor::Executor(ExecutorServices services, ExecutorOptions options, std::unique_ptr<StepLauncher> launcher)
    : services_(services), options_(WithDefaults(std::move(options))), launcher_(std::move(launcher)) {
  if (!launcher_) {
    AttemptServices attempt{services_.metadata, services_.artifacts, services_.clock, options_.work_dir};
    launcher_ = std::make_unique<InProcessLauncher>(attempt, options_.max_parallel_steps);
  }
  next_stop_poll_ = std::chrono::steady_clock::now();
  loop_ = std::thread([this] { Loop(); });
}

Executor::~Executor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
    for (auto& [id, run] : runs_) RequestStop(*run);
  }
  launcher_->Wake();
  loop_.join();
}

void Executor::SetObserver(StepObserver observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

const char* Executor::LauncherName() const { return launcher_->Name(); }

namespace {

// What each step of `def` waits for, by name; an error for a definition that cannot run.
Result<std::map<std::string, std::set<std::string>>> StepDependencies(const Definition& def,
                                                                      const StepTypeRegistry& types) {
  RETURN_IF_ERROR(ValidateDefinition(def, types));
  StepGraph graph(def);
  RETURN_IF_ERROR(graph.TopologicalOrder().status());
  std::map<std::string, std::set<std::string>> deps;
  for (size_t i = 0; i < graph.size(); ++i) {
    auto& d = deps[graph.Name(i)];
    for (size_t j : graph.Dependencies(i)) d.insert(graph.Name(j));
  }
  return deps;
}

// Replays the runs in `succeeded` as the planner reaches them, in dependency
// order: their records, outputs, branch and expansion. Returns the steps found
// ready without such a run: they are to run.
Result<std::vector<std::string>> ReplaySucceeded(ExecutionRun& run,
                                                 const std::map<std::string, const store::StepRunRecord*>& succeeded,
                                                 const StepTypeRegistry& types) {
  std::vector<std::string> to_run;
  for (bool replayed = true; replayed;) {
    replayed = false;
    for (const std::string& step : run.planner().FindWork()) {
      auto done = succeeded.find(step);
      if (done == succeeded.end()) {
        to_run.push_back(step);
        continue;
      }
      const store::StepRunRecord& recorded = *done->second;
      ASSIGN_OR_RETURN(StepResult result, StepResult::FromMetadata(recorded.metadata));
      if (result.kind == StepResult::Kind::kExpansion) {
        RETURN_IF_ERROR(run.Expand(step, result.steps, types, result.contained));
      }
      run.StepRun(step) = recorded;
      for (const auto& [name, digest] : recorded.outputs.items()) run.outputs()[step][name] = digest.get<std::string>();
      run.planner().StepFinished(step, true, result.kind == StepResult::Kind::kBranch ? result.branch : "");
      replayed = true;
    }
  }
  return to_run;
}

}  // namespace

store::ExecutionRecord Executor::NewRecord(const Definition& def, int version, const Json& parameters) const {
  store::ExecutionRecord record;
  record.id = NewExecutionId();
  record.pipeline = def.name;
  record.version = version;
  record.status = "Executing";
  record.parameters = parameters;
  record.started_at = services_.clock->Now();
  record.lease_owner = options_.owner;
  record.lease_expires = record.started_at + options_.lease_ms;
  return record;
}

Result<std::string> Executor::Start(const Definition& def, int version, const Json& parameters) {
  ASSIGN_OR_RETURN(auto deps, StepDependencies(def, *services_.step_types));
  store::ExecutionRecord record = NewRecord(def, version, parameters);
  RETURN_IF_ERROR(services_.metadata->CreateExecution(record));
  RETURN_IF_ERROR(Adopt(std::make_shared<ExecutionRun>(services_, def, std::move(deps), record), {}));
  return record.id;
}

Status Executor::Resume(const Definition& def, const store::ExecutionRecord& record,
                        const std::vector<store::StepRunRecord>& runs) {
  ASSIGN_OR_RETURN(auto deps, StepDependencies(def, *services_.step_types));
  auto run = std::make_shared<ExecutionRun>(services_, def, std::move(deps), record);
  std::map<std::string, const store::StepRunRecord*> succeeded;
  for (const store::StepRunRecord& r : runs) {
    if (r.status == "Succeeded") succeeded[r.step_name] = &r;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> to_run, ReplaySucceeded(*run, succeeded, *services_.step_types));
  return Adopt(run, to_run);
}

Result<std::string> Executor::Rerun(const Definition& def, int version, const Json& parameters,
                                    const Selection& selection, const std::vector<store::StepRunRecord>& source_runs) {
  ASSIGN_OR_RETURN(auto deps, StepDependencies(def, *services_.step_types));
  ASSIGN_OR_RETURN(SelectivePlan plan, PlanSelection(def, deps, selection, source_runs));
  store::ExecutionRecord record = NewRecord(def, version, parameters);
  auto run = std::make_shared<ExecutionRun>(services_, def, std::move(deps), record);
  for (const std::string& step : plan.excluded) run->planner().Exclude(step);
  run->uncached = plan.run;  // Chosen to run: a cache hit would not run them.
  std::map<std::string, const store::StepRunRecord*> reused;
  for (auto& [step, r] : plan.reused) {
    r.execution_id = record.id;
    r.cache_hit_source = selection.source_execution;
    r.metadata["reused_from"] = selection.source_execution;
    r.started_at = r.ended_at = record.started_at;
    reused[step] = &r;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> to_run, ReplaySucceeded(*run, reused, *services_.step_types));
  for (const std::string& step : to_run) {
    if (!plan.run.count(step)) {
      return Status::FailedPrecondition("step " + step + " did not succeed in execution " +
                                        selection.source_execution + ": choose it too");
    }
  }
  RETURN_IF_ERROR(services_.metadata->CreateExecution(record));
  StepObserver observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    observer = observer_;
  }
  for (const auto& [step, r] : plan.reused) {
    if (run->planner().state(step) == Planner::State::kSucceeded) run->Record(step, observer);
  }
  RETURN_IF_ERROR(Adopt(run, to_run));
  return record.id;
}

Status Executor::Adopt(std::shared_ptr<ExecutionRun> run, const std::vector<std::string>& to_run) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (runs_.count(run->id()) > 0) return Status::AlreadyExists("execution " + run->id() + " is running here");
    runs_[run->id()] = run;
    for (const std::string& step : to_run) queued_.push_back({run, step, 1, 0});
  }
  launcher_->Wake();
  return Status::OK();
}

Result<store::ExecutionRecord> Executor::Wait(const std::string& execution_id) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    ended_cv_.wait(lock, [&] { return !runs_.count(execution_id); });
  }
  return services_.metadata->GetExecution(execution_id);
}

Status Executor::Stop(const std::string& execution_id) {
  RETURN_IF_ERROR(services_.metadata->RequestStop(execution_id));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runs_.find(execution_id);
    if (it != runs_.end()) RequestStop(*it->second);
  }
  launcher_->Wake();
  return Status::OK();
}

void Executor::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!(shutting_down_ && runs_.empty())) {
    TimeMs now = services_.clock->Now();
    RenewLeases(now);
    PollStopRequests();
    FindWork();
    int next_due_ms = StartReady(now);
    FinishEndedRuns();
    if (shutting_down_ && runs_.empty()) break;
    int timeout = static_cast<int>(options_.stop_poll_ms);
    if (next_due_ms >= 0) timeout = std::min(timeout, next_due_ms);
    lock.unlock();
    std::optional<AttemptResult> ended = launcher_->WaitForOne(std::max(1, timeout));
    lock.lock();
    if (ended) Finished(std::move(*ended));
  }
}

void Executor::FindWork() {
  for (auto& [id, run] : runs_) {
    for (const std::string& step : run->planner().FindWork()) queued_.push_back({run, step, 1, 0});
  }
}

int Executor::StartReady(TimeMs now) {
  int next_due = -1;
  for (auto it = queued_.begin(); it != queued_.end();) {
    if (it->run->stopped()) {
      it->run->EndStep(it->step, "Stopped", "stopped on request", observer_);
      it->run->planner().StepFinished(it->step, false);
      it = queued_.erase(it);
      continue;
    }
    if (it->ready_at > now) {
      int wait = static_cast<int>(std::min<TimeMs>(it->ready_at - now, 1 << 30));
      next_due = next_due < 0 ? wait : std::min(next_due, wait);
      ++it;
      continue;
    }
    if (!launcher_->CanRunMore()) break;
    Queued item = std::move(*it);
    it = queued_.erase(it);
    Launch(item);
  }
  return next_due;
}

void Executor::Launch(const Queued& item) {
  ExecutionRun& run = *item.run;
  const StepDef& step = *run.def().FindStep(item.step);
  const StepType* type = services_.step_types->Find(step.type);
  store::StepRunRecord& record = run.StepRun(item.step);
  if (item.attempt == 1) record.started_at = services_.clock->Now();
  record.attempts = item.attempt;
  auto args = ResolveStepArguments(run.def(), step, run.record(), run.outputs(), *services_.step_types,
                                   *services_.artifacts);
  if (!args.ok()) {
    run.EndStep(item.step, "Failed", args.status().message(), observer_);
    if (!run.planner().ContainedBy(item.step).empty()) run.ContainedFailure(item.step, args.status().message());
    else run.Fail("step " + item.step + " failed: " + args.status().message());
    run.planner().StepFinished(item.step, false);
    return;
  }
  record.status = "Executing";
  record.arguments = *args;  // What the step runs with; a cache hit keeps it too.
  run.Record(item.step, observer_);

  StepTask task;
  task.id = next_task_id_++;
  task.execution_id = run.id();
  task.pipeline = run.record().pipeline;
  task.version = run.record().version;
  task.step = &step;
  task.type = type;
  task.arguments = std::move(*args);
  task.attempt = item.attempt;
  // A step that can use more cores (Tuning) takes the slots free right now, never waiting for more.
  task.slots = 1 + std::clamp(type->WantedSlots(task.arguments) - 1, 0, launcher_->FreeSlots() - 1);
  task.threads = std::max(1, Cores() * task.slots / options_.max_parallel_steps);
  task.use_cache = item.attempt == 1 && step.cache.enabled && !run.uncached.count(item.step);
  task.stop = run.stop_flag();
  in_flight_[task.id] = {item.run, item.step, item.attempt};
  ++run.in_flight;
  launcher_->Start(std::move(task));
}

void Executor::Finished(AttemptResult result) {
  auto it = in_flight_.find(result.task_id);
  if (it == in_flight_.end()) return;
  InFlight task = std::move(it->second);
  in_flight_.erase(it);
  ExecutionRun& run = *task.run;
  --run.in_flight;
  const StepDef& step = *run.def().FindStep(task.step);
  store::StepRunRecord& record = run.StepRun(task.step);
  record.cache_key = result.cache_key;
  if (!result.log_digest.empty()) record.log_digest = result.log_digest;

  const bool succeeded = result.status == "Succeeded";
  const bool fail_step = succeeded && result.result.kind == StepResult::Kind::kExecutionFailure;
  const bool expansion = succeeded && result.result.kind == StepResult::Kind::kExpansion;
  if (succeeded && !fail_step) {
    Status s = expansion ? run.Expand(task.step, result.result.steps, *services_.step_types, result.result.contained)
                         : Status::OK();
    if (s.ok()) s = RecordSuccess(run, task.step, result);
    if (s.ok()) return;
    result.status = "Failed";
    result.failure_reason = s.message();
  }
  // A refused expansion is not retried: the same arguments would expand the same way.
  if (result.status == "Failed" && !fail_step && !expansion && !run.stopped() &&
      task.attempt < step.retry.max_attempts) {
    run.Record(task.step, observer_, result.artifacts, {});
    Retry(task, result.failure_reason);
    return;
  }

  record.ended_at = services_.clock->Now();
  record.metadata = result.metadata;
  const bool contained = !run.planner().ContainedBy(task.step).empty();
  if (fail_step) {
    record.status = "Failed";
    record.failure_reason = result.result.message;
    if (contained) run.ContainedFailure(task.step, result.result.message);
    else run.Fail(result.result.message);
  } else if (run.stopped() || result.status == "Stopped") {
    record.status = "Stopped";
    record.failure_reason = "stopped on request";
  } else {
    record.status = "Failed";
    record.failure_reason = result.failure_reason;
    if (contained) run.ContainedFailure(task.step, record.failure_reason);
    else run.Fail("step " + task.step + " failed: " + record.failure_reason);
  }
  if (fail_step && result.cache_hit_source.empty() && !result.effects.is_null()) {
    Status s = run.RecordWith(
        task.step, record, result.artifacts, result.links,
        [&](store::StoreTransaction& txn, store::StepRunRecord& done) { return CommitStep(run, task.step, result, txn, done); },
        observer_);
    if (!s.ok()) {
      record.failure_reason += "; recording its effects failed: " + s.message();
      run.Record(task.step, observer_, result.artifacts, result.links);
    }
  } else {
    run.Record(task.step, observer_, result.artifacts, result.links);
  }
  run.planner().StepFinished(task.step, false);
}

Status Executor::RecordSuccess(ExecutionRun& run, const std::string& step_name, const AttemptResult& result) {
  store::StepRunRecord done = run.StepRun(step_name);
  done.status = "Succeeded";
  done.failure_reason.clear();
  done.ended_at = services_.clock->Now();
  done.metadata = result.metadata;
  done.outputs = result.outputs;
  done.cache_hit_source = result.cache_hit_source;

  // A cache hit replays outputs; its effects were committed by the run it reuses.
  auto effects = [&](store::StoreTransaction& txn, store::StepRunRecord& record) -> Status {
    return result.cache_hit_source.empty() ? CommitStep(run, step_name, result, txn, record) : Status::OK();
  };
  RETURN_IF_ERROR(run.RecordWith(step_name, std::move(done), result.artifacts, result.links, effects, observer_));
  for (const auto& [name, digest] : result.outputs.items()) {
    run.outputs()[step_name][name] = digest.get<std::string>();
  }
  run.planner().StepFinished(step_name, true,
                             result.result.kind == StepResult::Kind::kBranch ? result.result.branch : "");
  return Status::OK();
}

Status Executor::CommitStep(ExecutionRun& run, const std::string& step_name, const AttemptResult& result,
                            store::StoreTransaction& txn, store::StepRunRecord& record) {
  const StepDef& step = *run.def().FindStep(step_name);
  const StepType& type = *services_.step_types->Find(step.type);
  auto log_path = StepLogPath(options_.work_dir, run.id(), step_name);
  CommitContext ctx;
  ctx.step = &step;
  ctx.execution_id = run.id();
  ctx.pipeline = run.record().pipeline;
  ctx.arguments = result.arguments;
  ctx.input_digests = result.input_digests;
  ctx.effects = result.effects;
  ctx.registry = services_.registry;
  ctx.store = services_.metadata;
  ctx.txn = &txn;
  ctx.log = [&log_path](const std::string& line) { AppendLogLine(log_path, line); };
  RETURN_IF_ERROR(CommitEffects(type, ctx));
  for (const auto& [key, value] : ctx.metadata.items()) record.metadata[key] = value;
  return Status::OK();
}

void Executor::Retry(const InFlight& task, const std::string& reason) {
  const StepDef& step = *task.run->def().FindStep(task.step);
  double wait_s = step.retry.interval_seconds * std::pow(step.retry.backoff_rate, task.attempt - 1);
  AppendLogLine(StepLogPath(options_.work_dir, task.run->id(), task.step),
                "attempt " + std::to_string(task.attempt) + " failed: " + reason + "; retrying in " +
                    std::to_string(wait_s) + " s");
  TimeMs ready_at = services_.clock->Now() + static_cast<TimeMs>(std::llround(wait_s * 1000));
  queued_.push_back({task.run, task.step, task.attempt + 1, ready_at});
}

void Executor::RequestStop(ExecutionRun& run) {
  if (!run.RequestStop()) return;
  for (auto& [task_id, task] : in_flight_) {
    if (task.run.get() != &run) continue;
    store::StepRunRecord& record = run.StepRun(task.step);
    if (record.status == "Executing" || record.status == "Starting") {
      record.status = "Stopping";
      run.Record(task.step, observer_);
    }
    launcher_->Cancel(task_id);
  }
}

void Executor::FinishEndedRuns() {
  bool ended = false;
  for (auto it = runs_.begin(); it != runs_.end();) {
    ExecutionRun& run = *it->second;
    bool queued = std::any_of(queued_.begin(), queued_.end(), [&](const Queued& q) { return q.run.get() == &run; });
    if (run.in_flight == 0 && !queued && run.planner().Done()) {
      run.Finish();
      it = runs_.erase(it);
      ended = true;
    } else {
      ++it;
    }
  }
  if (ended) ended_cv_.notify_all();
}

void Executor::RenewLeases(TimeMs now) {
  if (now < next_renewal_) return;
  next_renewal_ = now + std::max<TimeMs>(1, options_.lease_ms / 3);
  std::vector<std::string> ids;
  for (const auto& [id, run] : runs_) ids.push_back(id);
  if (!ids.empty()) (void)services_.metadata->RenewLeases(options_.owner, ids, now + options_.lease_ms);
}

void Executor::PollStopRequests() {
  auto now = std::chrono::steady_clock::now();
  if (now < next_stop_poll_ || runs_.empty()) return;
  next_stop_poll_ = now + std::chrono::milliseconds(options_.stop_poll_ms);
  for (auto& [id, run] : runs_) {
    if (run->stopped()) continue;
    auto current = services_.metadata->GetExecution(id);
    if (current.ok() && current->status == "Stopping") RequestStop(*run);
  }
}

}  // namespace grove::pipeline
