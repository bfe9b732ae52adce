#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "serving/model_cache.h"

namespace grove::serving {

struct LoaderPoolOptions {
  // Loader threads. Default: 2 (a load is mostly CPU: map and validate, or
  // scan and compile JSON; more threads than cores only queue in the kernel).
  int threads = 2;
  // Models waiting for a loader thread at most; past it Load answers
  // Cancelled at once instead of queueing without bound. Default: 1024.
  size_t max_queued = 1024;
  // Added to the loader threads' nice value, so that when the cores are
  // busy the I/O threads (hits) run first and loads take what is left.
  // Default: 10 (0 keeps the process's priority).
  int nice = 10;
};

struct LoaderPoolStats {
  uint64_t loads = 0;     // Keys taken by a loader thread.
  uint64_t joined = 0;    // Load calls that joined a load already queued or running.
  uint64_t rejected = 0;  // Load calls refused: queue full or pool stopped.
  size_t queued = 0;      // Keys waiting now.
};

// Loads models into a ModelCache on threads of its own, so that a request
// whose model is not loaded does not hold the thread that asked (an HTTP I/O
// thread, which then serves other connections meanwhile).
//
// Single flight: Load calls for a key that is queued or loading join that
// load and all receive its result. The cache single-flights too, so a
// ModelCache::Get elsewhere shares the same loader call.
//
// Thread-safe. `done` callbacks run on a loader thread (or, when refused, on
// the caller's); they must not destroy the pool.
class LoaderPool {
 public:
  using Done = std::function<void(Result<ModelCache::Model>)>;

  // REQUIRES: `cache` outlives the pool.
  LoaderPool(ModelCache* cache, LoaderPoolOptions options);
  // Stops: loads running finish and are answered; keys still queued are
  // answered Cancelled. Waits for the threads.
  ~LoaderPool();

  LoaderPool(const LoaderPool&) = delete;
  LoaderPool& operator=(const LoaderPool&) = delete;

  // Loads `key` through the cache and calls `done` with the result; a model
  // already loaded is given at once, on the calling thread. When
  // max_queued keys already wait, or the pool is stopping, calls `done` at
  // once with Cancelled ("model loads are queued at capacity ...": retry).
  void Load(const std::string& key, Done done);

  LoaderPoolStats stats() const;
  const LoaderPoolOptions& options() const { return options_; }

 private:
  void Run();

  ModelCache* const cache_;
  const LoaderPoolOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable work_;  // Signalled when a key is queued or the pool stops.
  // State below is protected by mutex_.
  std::deque<std::string> queue_;                         // Keys waiting for a thread.
  std::unordered_map<std::string, std::vector<Done>> waiters_;  // Keys queued or loading.
  LoaderPoolStats stats_;
  bool stopping_ = false;

  std::vector<std::thread> threads_;  // Last: started once the state above exists.
};

}  // namespace grove::serving
