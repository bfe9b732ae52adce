#include "pipeline/step_launcher.h"

#include <chrono>

namespace grove::pipeline {

int LauncherQueue::FreeSlots() const {
  std::lock_guard<std::mutex> lock(mu_);
  return free_;
}

void LauncherQueue::Take(int slots) {
  std::lock_guard<std::mutex> lock(mu_);
  free_ -= slots;
}

void LauncherQueue::Push(AttemptResult result, int slots) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_ += slots;
    ended_.push_back(std::move(result));
  }
  cv_.notify_all();
}

std::optional<AttemptResult> LauncherQueue::Pop(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return woken_ || !ended_.empty(); });
  woken_ = false;
  if (ended_.empty()) return std::nullopt;
  AttemptResult result = std::move(ended_.front());
  ended_.pop_front();
  return result;
}

void LauncherQueue::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace grove::pipeline
