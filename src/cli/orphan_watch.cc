#include "cli/orphan_watch.h"

#include <iostream>

#include "app/executions.h"

namespace grove::cli {

OrphanWatch::OrphanWatch(app::Home& home, pipeline::Executor* executor, std::chrono::milliseconds interval)
    : home_(home), executor_(executor), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

OrphanWatch::~OrphanWatch() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void OrphanWatch::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto resumed = app::Executions(home_, executor_).ResumeOrphans();
    if (!resumed.ok()) {
      std::cerr << "warning: taking over orphaned executions: " << resumed.status().ToString() << std::endl;
    } else {
      for (const std::string& id : *resumed) {
        std::cout << "resumed execution " << id << " (the process running it stopped)" << std::endl;
      }
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace grove::cli
