#include "cli/server_rollouts.h"

#include <iostream>

namespace grove::cli {

RunningRollouts::RunningRollouts(app::Home& home, serving::EndpointService& service)
    : service_(service), rollouts_(home.metadata(), home.clock()) {}

RunningRollouts::~RunningRollouts() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RunningRollouts::Start(std::chrono::milliseconds poll) {
  thread_ = std::thread([this, poll] { Loop(poll); });
}

void RunningRollouts::Loop(std::chrono::milliseconds poll) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_.wait_for(lock, poll, [this] { return stopping_; })) {
    lock.unlock();
    Tick();
    lock.lock();
  }
}

void RunningRollouts::Tick() {
  Result<std::vector<app::RolloutRecord>> all = rollouts_.List();
  if (!all.ok()) {
    std::cerr << "warning: rollouts: " << all.status().ToString() << "\n";
    return;
  }
  auto counters = [this](const std::string& endpoint, const std::string& variant) {
    return service_.Counters(endpoint, variant);
  };
  for (const app::RolloutRecord& r : *all) {
    if (!r.running()) continue;
    Result<app::RolloutRecord> now = rollouts_.Advance(r.endpoint, counters);
    if (!now.ok()) {
      std::cerr << "warning: rollout on " << r.endpoint << ": " << now.status().ToString() << "\n";
    } else if (!now->running()) {
      std::cout << "rollout on " << r.endpoint << ": " << now->state
                << (now->reason.empty() ? "" : " (" + now->reason + ")") << std::endl;
    }
  }
}

}  // namespace grove::cli
