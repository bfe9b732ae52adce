#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/home.h"
#include "pipeline/executor.h"

namespace grove::cli {

// A server's watch for executions another process left behind: every
// `interval` it takes over those whose process died and runs them on here
// (app::Executions::ResumeOrphans), printing each one. With servers on several
// machines sharing a store, an execution finishes when its server dies.
class OrphanWatch {
 public:
  OrphanWatch(app::Home& home, pipeline::Executor* executor, std::chrono::milliseconds interval);
  ~OrphanWatch();  // Stops.
  OrphanWatch(const OrphanWatch&) = delete;
  OrphanWatch& operator=(const OrphanWatch&) = delete;

 private:
  void Loop();

  app::Home& home_;
  pipeline::Executor* executor_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // Guarded by mu_.
  std::thread thread_;
};

}  // namespace grove::cli
