#include "pipeline/in_process_launcher.h"

namespace grove::pipeline {

InProcessLauncher::InProcessLauncher(AttemptServices services, int slots)
    : services_(std::move(services)), ended_(slots) {
  for (int i = 0; i < slots; ++i) workers_.emplace_back([this] { Work(); });
}

InProcessLauncher::~InProcessLauncher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void InProcessLauncher::Start(StepTask task) {
  ended_.Take(task.slots);
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void InProcessLauncher::Work() {
  while (true) {
    StepTask task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return closing_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    AttemptResult result = RunAttempt(services_, task);
    ended_.Push(std::move(result), task.slots);
  }
}

}  // namespace grove::pipeline
