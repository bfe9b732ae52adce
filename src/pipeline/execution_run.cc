#include "pipeline/execution_run.h"

#include <algorithm>
#include <chrono>

#include "common/file_util.h"

namespace grove::pipeline {

bool SlotPool::Acquire(const std::atomic<bool>& stop) {
  std::unique_lock<std::mutex> lock(mu_);
  while (free_ == 0) {
    if (stop.load()) return false;
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
  --free_;
  return true;
}

int SlotPool::TryAcquire(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  int taken = std::clamp(n, 0, free_);
  free_ -= taken;
  return taken;
}

void SlotPool::Release(int n) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_ += n;
  }
  cv_.notify_all();
}

ExecutionRun::ExecutionRun(const ExecutorServices& services, const ExecutorOptions& options, SlotPool* slots,
                           StepObserver observer, Definition def, std::map<std::string, std::set<std::string>> deps,
                           store::ExecutionRecord record)
    : services_(services), options_(options), slots_(slots), observer_(std::move(observer)), def_(std::move(def)),
      record_(std::move(record)), planner_(def_, std::move(deps)) {}

ExecutionRun::~ExecutionRun() {
  RequestStop();
  Wait();
}

void ExecutionRun::Start() { coordinator_ = std::thread([this] { Coordinate(); }); }

void ExecutionRun::RequestStop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_ || stopped_) return;
  stopped_ = true;
  stop_ = true;
  planner_.Halt();
  for (auto& [name, runner] : running_) runner->MarkStopping();
  cv_.notify_all();
}

void ExecutionRun::Wait() {
  if (coordinator_.joinable()) coordinator_.join();
}

ResolveContext ExecutionRun::MakeResolveContext() {
  ResolveContext ctx;
  ctx.parameters = &record_.parameters;
  ctx.execution = {{"ExecutionId", record_.id},
                   {"StartDateTime", FormatIso8601(record_.started_at)},
                   {"PipelineName", record_.pipeline}};
  // Called with mu_ held (from Launch).
  ctx.step_output = [this](const std::string& step, const std::string& output) -> Result<Json> {
    auto& outs = steps_[step].outputs;
    auto it = outs.find(output);
    if (it == outs.end()) return Status::NotFound("step '" + step + "' has no output '" + output + "'");
    ASSIGN_OR_RETURN(std::filesystem::path p, services_.artifacts->LocalPath(it->second));
    return Json(p.string());
  };
  ctx.property_file = [this](const std::string& step) -> Result<Json> {
    StepState& state = steps_[step];
    if (state.property_file) return *state.property_file;
    const StepDef* def = def_.FindStep(step);
    const StepType* type = def ? services_.step_types->Find(def->type) : nullptr;
    auto name = type ? type->PropertyFile(*def) : std::nullopt;
    if (!name || !state.outputs.count(*name)) {
      return Status::NotFound("step '" + step + "' has no property file");
    }
    ASSIGN_OR_RETURN(std::filesystem::path p, services_.artifacts->LocalPath(state.outputs[*name]));
    ASSIGN_OR_RETURN(std::string text, ReadFile(p));
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) return Status::InvalidArgument("property file of step '" + step + "' is not JSON");
    state.property_file = doc;
    return doc;
  };
  return ctx;
}

// Resolves the step's arguments and runs it on a thread of its own.
void ExecutionRun::Launch(const std::string& step_name) {
  const StepDef& step = *def_.FindStep(step_name);
  const StepType* type = services_.step_types->Find(step.type);
  ResolveContext ctx = MakeResolveContext();
  auto args = Resolve(step.arguments, ctx, "steps." + step.name + ".arguments");
  auto runner = std::make_shared<StepRunner>(services_, options_, observer_, record_.id, record_.pipeline, step,
                                             *type);
  running_[step_name] = runner;
  Json resolved = args.ok() ? *args : Json();
  Status resolve_status = args.ok() ? Status::OK() : args.status();
  threads_.emplace_back([this, runner, step_name, resolved, resolve_status, type] {
    StepOutcome outcome;
    if (!resolve_status.ok()) {
      outcome = runner->Fail(resolve_status.message());
    } else if (!slots_->Acquire(stop_)) {
      outcome = runner->Fail("stopped on request", "Stopped");
    } else {
      // A step that can use more cores (Tuning) takes the slots free right now, never waiting for more.
      int held = 1 + slots_->TryAcquire(type->WantedSlots(resolved) - 1);
      outcome = runner->Run(resolved, stop_, held);
      slots_->Release(held);
    }
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(step_name);
    bool ok = outcome.status == "Succeeded";
    if (ok) steps_[step_name].outputs = outcome.outputs;
    if (!ok && failure_reason_.empty() && outcome.status == "Failed") {
      failure_reason_ = outcome.is_fail_step ? outcome.failure_reason
                                             : "step " + step_name + " failed: " + outcome.failure_reason;
    }
    planner_.StepFinished(step_name, ok, outcome.branch);
    cv_.notify_all();
  });
}

bool ExecutionRun::PollStopRequest() {
  auto current = services_.metadata->GetExecution(record_.id);
  return current.ok() && current->status == "Stopping";
}

void ExecutionRun::Coordinate() {
  std::unique_lock<std::mutex> lock(mu_);
  auto last_poll = std::chrono::steady_clock::now();
  while (true) {
    for (const std::string& step : planner_.FindWork()) Launch(step);
    if (planner_.Done()) break;
    cv_.wait_for(lock, std::chrono::milliseconds(options_.stop_poll_ms));
    if (std::chrono::steady_clock::now() - last_poll >= std::chrono::milliseconds(options_.stop_poll_ms)) {
      last_poll = std::chrono::steady_clock::now();
      lock.unlock();
      bool requested = PollStopRequest();
      if (requested) RequestStop();
      lock.lock();
    }
  }
  std::vector<std::thread> threads = std::move(threads_);
  lock.unlock();
  for (std::thread& t : threads) t.join();
  Finish();
}

void ExecutionRun::Finish() {
  std::string status = "Succeeded";
  std::string reason;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) {
      status = "Stopped";
    } else if (!failure_reason_.empty()) {
      status = "Failed";
      reason = failure_reason_;
    }
    done_ = true;
  }
  Status s = services_.metadata->UpdateExecutionStatus(record_.id, status, reason, services_.clock->Now());
  if (!s.ok()) {
    (void)services_.metadata->UpdateExecutionStatus(record_.id, "Failed", "cannot record the end: " + s.message(),
                                                    services_.clock->Now());
  }
}

}  // namespace grove::pipeline
