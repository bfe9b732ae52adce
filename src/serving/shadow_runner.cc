#include "serving/shadow_runner.h"

#include <chrono>

namespace grove::serving {

ShadowRunner::~ShadowRunner() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ShadowRunner::Submit(std::shared_ptr<const PredictRequest> request, const Predictions& production,
                          const std::string& key, std::shared_ptr<VariantMetrics> metrics) {
  size_t bytes = request->features.size() * sizeof(float) + production.values.size() * sizeof(double);
  for (const std::string& cell : request->cells) bytes += sizeof(std::string) + cell.size();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= kMaxQueued || queued_bytes_ + bytes > kMaxQueuedBytes) {
      metrics->RecordDropped();
      return;
    }
    queued_bytes_ += bytes;
    queue_.push_back({std::move(request), production, key, std::move(metrics), bytes});
    if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  }
  changed_.notify_all();
}

void ShadowRunner::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return (queue_.empty() && running_ == 0) || stopping_; });
}

void ShadowRunner::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= job.bytes;
    ++running_;
    lock.unlock();
    Run(job);
    lock.lock();
    --running_;
    changed_.notify_all();
  }
}

void ShadowRunner::Run(const Job& job) {
  auto start = std::chrono::steady_clock::now();
  Result<ModelCache::Model> model = cache_->Get(job.key);
  Result<Predictions> answer = model.ok() ? Predict(**model, *job.request) : Result<Predictions>(model.status());
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  job.metrics->RecordRequest(took.count(), answer.ok() ? &*answer : nullptr);
  if (answer.ok()) {
    job.metrics->RecordShadow(job.production, *answer, (*model)->kind() != ModelKind::kRegression, clock_->Now());
  }
}

}  // namespace grove::serving
