#include "pipeline/executor.h"

#include <unistd.h>

#include <set>

#include "common/ids.h"
#include "pipeline/execution_run.h"
#include "pipeline/graph.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

namespace {

std::string DefaultOwner() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

Executor::Executor(ExecutorServices services, ExecutorOptions options)
    : services_(services), options_(std::move(options)) {
  if (options_.max_parallel_steps <= 0) {
    options_.max_parallel_steps = std::max(1u, std::thread::hardware_concurrency());
  }
  if (options_.owner.empty()) options_.owner = DefaultOwner();
  slots_ = std::make_unique<SlotPool>(options_.max_parallel_steps);
  lease_thread_ = std::thread([this] { LeaseLoop(); });
}

Executor::~Executor() {
  std::vector<std::shared_ptr<ExecutionRun>> runs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
    for (auto& [id, run] : runs_) runs.push_back(run);
  }
  cv_.notify_all();
  for (auto& run : runs) {
    run->RequestStop();
    run->Wait();
  }
  lease_thread_.join();
}

void Executor::SetObserver(StepObserver observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

Result<std::string> Executor::Start(const Definition& def, int version, const Json& parameters) {
  RETURN_IF_ERROR(ValidateDefinition(def, *services_.step_types));
  StepGraph graph(def);
  RETURN_IF_ERROR(graph.TopologicalOrder().status());
  std::map<std::string, std::set<std::string>> deps;
  for (size_t i = 0; i < graph.size(); ++i) {
    auto& d = deps[graph.Name(i)];
    for (size_t j : graph.Dependencies(i)) d.insert(graph.Name(j));
  }
  store::ExecutionRecord record;
  record.id = NewExecutionId();
  record.pipeline = def.name;
  record.version = version;
  record.status = "Executing";
  record.parameters = parameters;
  record.started_at = services_.clock->Now();
  record.lease_owner = options_.owner;
  record.lease_expires = record.started_at + options_.lease_ms;
  RETURN_IF_ERROR(services_.metadata->CreateExecution(record));

  std::lock_guard<std::mutex> lock(mu_);
  auto run = std::make_shared<ExecutionRun>(services_, options_, slots_.get(), observer_, def, std::move(deps),
                                            record);
  runs_[record.id] = run;
  run->Start();
  return record.id;
}

Result<store::ExecutionRecord> Executor::Wait(const std::string& execution_id) {
  std::shared_ptr<ExecutionRun> run;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runs_.find(execution_id);
    if (it != runs_.end()) run = it->second;
  }
  if (run) {
    run->Wait();
    std::lock_guard<std::mutex> lock(mu_);
    runs_.erase(execution_id);
  }
  return services_.metadata->GetExecution(execution_id);
}

Status Executor::Stop(const std::string& execution_id) {
  RETURN_IF_ERROR(services_.metadata->RequestStop(execution_id));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(execution_id);
  if (it != runs_.end()) it->second->RequestStop();
  return Status::OK();
}

void Executor::LeaseLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!shutting_down_) {
    cv_.wait_for(lock, std::chrono::milliseconds(options_.lease_ms / 3));
    if (shutting_down_) break;
    std::vector<std::string> ids;
    for (const auto& [id, run] : runs_) ids.push_back(id);
    lock.unlock();
    if (!ids.empty()) {
      (void)services_.metadata->RenewLeases(options_.owner, ids, services_.clock->Now() + options_.lease_ms);
    }
    lock.lock();
  }
}

}  // namespace grove::pipeline
