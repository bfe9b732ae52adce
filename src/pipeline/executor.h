#pragma once

#include <condition_variable>
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
#include "pipeline/step_type.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

class ExecutionRun;
class SlotPool;

struct ExecutorOptions {
  // Steps running at once across all executions of this executor.
  // Default: the number of cores.
  int max_parallel_steps = 0;
  // Scratch space: <work_dir>/<execution id>/<step>/ holds outputs while a step runs.
  std::filesystem::path work_dir;
  // Identifies this process in execution leases ("<host>:<pid>").
  std::string owner;
  // How long a lease lasts without renewal; renewed every third of it.
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

// Called on every step status change (from worker threads; keep it quick).
using StepObserver = std::function<void(const store::StepRunRecord&)>;

// Runs executions: each one's ready steps start in parallel (bounded by
// max_parallel_steps across executions), with retries, caching, stop, and
// every state change recorded in the metadata store. Thread-safe.
class Executor {
 public:
  Executor(ExecutorServices services, ExecutorOptions options);
  ~Executor();  // Stops and waits for every execution.
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void SetObserver(StepObserver observer);

  // Creates an execution of `def` (stored as `version`) with coerced
  // `parameters` and starts it in the background. Returns its id.
  Result<std::string> Start(const Definition& def, int version, const Json& parameters);
  // Blocks until the execution ends; returns its final record.
  Result<store::ExecutionRecord> Wait(const std::string& execution_id);
  // Asks a running execution to stop (its running steps are asked to stop).
  Status Stop(const std::string& execution_id);

 private:
  void LeaseLoop();

  ExecutorServices services_;
  ExecutorOptions options_;
  std::unique_ptr<SlotPool> slots_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<ExecutionRun>> runs_;  // Guarded by mu_.
  StepObserver observer_;                               // Guarded by mu_.
  bool shutting_down_ = false;                          // Guarded by mu_.
  std::thread lease_thread_;
};

}  // namespace grove::pipeline
