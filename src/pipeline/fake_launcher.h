#pragma once

// A StepLauncher for tests: tasks end only when the test says so, either with
// a scripted result or by running them for real on the test's thread.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "pipeline/step_launcher.h"

namespace grove::pipeline {

class FakeLauncher : public StepLauncher {
 public:
  FakeLauncher(int slots, AttemptServices services) : free_(slots), services_(std::move(services)) {}

  const char* Name() const override { return "fake"; }
  int FreeSlots() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return free_;
  }
  void Start(StepTask task) override {
    std::lock_guard<std::mutex> lock(mu_);
    free_ -= task.slots;
    running_[task.id] = task;
    max_running_ = std::max<int>(max_running_, static_cast<int>(running_.size()));
    started_.push_back(task);
    cv_.notify_all();
  }
  std::optional<AttemptResult> WaitForOne(int timeout_ms) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return woken_ || !ended_.empty(); });
    woken_ = false;
    if (ended_.empty()) return std::nullopt;
    AttemptResult r = std::move(ended_.front());
    ended_.pop_front();
    return r;
  }
  void Wake() override {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
    cv_.notify_all();
  }
  void Cancel(uint64_t task_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_.push_back(task_id);
  }

  // The `n`th task started (0-based), waiting up to `timeout` for it.
  std::optional<StepTask> AwaitStart(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return started_.size() > n; })) return std::nullopt;
    return started_[n];
  }
  // Ends a running task with `result`.
  void Finish(const StepTask& task, AttemptResult result) {
    std::lock_guard<std::mutex> lock(mu_);
    result.task_id = task.id;
    running_.erase(task.id);
    free_ += task.slots;
    ended_.push_back(std::move(result));
    cv_.notify_all();
  }
  void Fail(const StepTask& task, const std::string& reason) {
    AttemptResult r;
    r.failure_reason = reason;
    Finish(task, std::move(r));
  }
  // Runs the task as the in-process launcher would, then ends it.
  void RunForReal(const StepTask& task) {
    if (task.step != nullptr) Finish(task, RunAttempt(services_, task));  // Null: a task that never started.
  }

  size_t started() const {
    std::lock_guard<std::mutex> lock(mu_);
    return started_.size();
  }
  int max_running() const {
    std::lock_guard<std::mutex> lock(mu_);
    return max_running_;
  }
  std::vector<uint64_t> cancelled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  int max_running_ = 0;
  bool woken_ = false;
  const AttemptServices services_;
  std::vector<StepTask> started_;
  std::map<uint64_t, StepTask> running_;
  std::deque<AttemptResult> ended_;
  std::vector<uint64_t> cancelled_;
};

}  // namespace grove::pipeline
