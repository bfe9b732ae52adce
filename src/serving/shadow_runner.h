#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "serving/model_cache.h"
#include "serving/payload.h"
#include "serving/variant_metrics.h"

namespace grove::serving {

// Runs shadow variants' copies of requests on one worker thread, off the
// request path: each copy is predicted by the shadow's model (loaded on first
// use), counted on the shadow's metrics and compared with production's answer.
// The queue is bounded in copies and in bytes; a copy that finds it full is
// dropped and counted, so a slow shadow never slows production nor holds
// unbounded memory.
class ShadowRunner {
 public:
  // Copies, and bytes of their rows, queued at most.
  static constexpr size_t kMaxQueued = 1024;
  static constexpr size_t kMaxQueuedBytes = 64 << 20;

  // `cache` and `clock` must outlive the runner.
  ShadowRunner(ModelCache* cache, const Clock* clock) : cache_(cache), clock_(clock) {}
  ~ShadowRunner();

  // Queues a copy of `request` for the shadow serving `key`; `production` is
  // what production answered. Starts the worker on first use.
  void Submit(std::shared_ptr<const PredictRequest> request, const Predictions& production, const std::string& key,
              std::shared_ptr<VariantMetrics> metrics);
  // Waits until every queued copy is done (tests).
  void Drain();

 private:
  struct Job {
    std::shared_ptr<const PredictRequest> request;
    Predictions production;
    std::string key;
    std::shared_ptr<VariantMetrics> metrics;
    size_t bytes = 0;
  };
  void Work();
  void Run(const Job& job);

  ModelCache* cache_;
  const Clock* clock_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> queue_;
  size_t running_ = 0;
  size_t queued_bytes_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace grove::serving
