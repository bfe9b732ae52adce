#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "serving/deployed_model.h"

namespace grove::serving {

struct ModelCacheOptions {
  // Loaded models kept at most. Default 0: no limit.
  size_t max_models = 0;
  // Estimated bytes (DeployedModel::MemoryBytes) kept at most. Default 0: no
  // limit. The model just loaded is never evicted, so one model larger than
  // the budget is still served.
  size_t max_bytes = 0;
};

// Per-model counters; they outlive evictions.
struct ModelStats {
  std::string key;
  uint64_t requests = 0;
  double latency_seconds = 0;  // Sum over requests.
  uint64_t loads = 0;
  bool loaded = false;
  size_t bytes = 0;  // While loaded.
};

struct ModelCacheSnapshot {
  uint64_t hits = 0;           // Get found the model loaded.
  uint64_t misses = 0;         // Get had to load it or wait for a load in flight.
  uint64_t loads = 0;          // Loader calls that succeeded.
  uint64_t load_failures = 0;  // Loader calls that failed (not cached; the next Get retries).
  double load_seconds = 0;     // Total time in the loader, failures included.
  uint64_t evictions = 0;      // Models dropped for the budget (Erase is not counted).
  size_t loaded_models = 0;
  size_t loaded_bytes = 0;
  std::vector<ModelStats> models;  // Every key seen, sorted.
};

// Loaded models by key ("group/version"), loaded on first use and evicted
// least-recently-used under a count and/or memory budget.
//
// Thread-safe. Concurrent Gets of a key that is not loaded call the loader
// once (single flight) and all receive its result; the loader runs without the
// cache's lock held, so other keys are served meanwhile. Models are handed out
// as shared_ptr: an evicted or erased model stays alive for requests using it.
class ModelCache {
 public:
  using Model = std::shared_ptr<const DeployedModel>;
  using Loader = std::function<Result<Model>(const std::string& key)>;
  // Monotonic nanoseconds, for load times; tests may pass a fake.
  using NanoClock = std::function<int64_t()>;

  explicit ModelCache(ModelCacheOptions options, Loader loader, NanoClock clock = nullptr);

  // The model for `key`, loading it on a miss. A failed load returns the
  // loader's Status to every waiter and caches nothing.
  Result<Model> Get(const std::string& key);
  // The model if loaded, else null; counts nothing and keeps LRU order.
  Model Peek(const std::string& key) const;
  // Drops `key` (e.g. its version was rejected); a load in flight for it is
  // not kept. Returns whether it was loaded.
  bool Erase(const std::string& key);
  // Adds one finished request and its latency to `key`'s counters.
  void RecordRequest(const std::string& key, double seconds);
  // `key`'s counters (all zero for a key never seen); `loaded` and `bytes` as now.
  ModelStats Stats(const std::string& key) const;
  // Loaded keys, most recently used first.
  std::vector<std::string> LoadedKeys() const;

  ModelCacheSnapshot Snapshot() const;
  // The snapshot in Prometheus text exposition format (version 0.0.4).
  std::string PrometheusText() const;

 private:
  struct Entry {
    Model model;
    size_t bytes = 0;
    std::list<std::string>::iterator lru;
  };
  // One load in progress; waiters block on loaded_ until `done`.
  struct Flight {
    bool done = false;
    bool erased = false;  // Erase ran meanwhile: hand out, but do not keep.
    Result<Model> result = Status::Internal("load in progress");
  };

  Result<Model> LoadAndPublish(const std::string& key, const std::shared_ptr<Flight>& flight);
  // REQUIRES: mutex_ held.
  // Models evicted go to `evicted`, so that they are destroyed after the lock is released.
  void InsertLocked(const std::string& key, Model model, std::vector<Model>* evicted);
  void EvictLocked(std::vector<Model>* evicted);
  // Sets m.loaded and m.bytes from the entry of m.key. REQUIRES: mutex_ held.
  void FillLoadedLocked(ModelStats& m) const;

  const ModelCacheOptions options_;
  const Loader loader_;
  const NanoClock clock_;

  mutable std::mutex mutex_;
  std::condition_variable loaded_;  // Signalled whenever a flight finishes.
  // State below is protected by mutex_.
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // Most recently used first.
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::map<std::string, ModelStats> stats_;
  ModelCacheSnapshot totals_;  // Counters only; models and gauges are filled by Snapshot.
  size_t bytes_ = 0;
};

}  // namespace grove::serving
