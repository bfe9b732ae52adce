#include "serving/model_cache.h"

#include <chrono>
#include <cstdio>
#include <exception>

namespace grove::serving {
namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string LabelValue(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", value);
  return buf;
}

void Metric(std::string* out, const char* name, const char* type, const char* help, double value) {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  *out += std::string(name) + " " + Number(value) + "\n";
}

}  // namespace

ModelCache::ModelCache(ModelCacheOptions options, Loader loader, NanoClock clock)
    : options_(options), loader_(std::move(loader)), clock_(clock ? std::move(clock) : NanoClock(SteadyNanos)) {}

Result<ModelCache::Model> ModelCache::Get(const std::string& key) {
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      ++totals_.hits;
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.model;
    }
    ++totals_.misses;
    auto in_flight = flights_.find(key);
    if (in_flight != flights_.end()) {
      std::shared_ptr<Flight> other = in_flight->second;
      loaded_.wait(lock, [&] { return other->done; });
      return other->result;
    }
    flight = std::make_shared<Flight>();
    flights_[key] = flight;
  }
  return LoadAndPublish(key, flight);
}

Result<ModelCache::Model> ModelCache::LoadAndPublish(const std::string& key, const std::shared_ptr<Flight>& flight) {
  int64_t start = clock_();
  Result<Model> result = Status::Internal("loader failed");
  try {
    result = loader_(key);
  } catch (const std::exception& e) {
    result = Status::Internal(std::string("loading ") + key + " threw: " + e.what());
  }
  if (result.ok() && *result == nullptr) result = Status::Internal("loading " + key + " returned no model");
  double seconds = static_cast<double>(clock_() - start) / 1e9;
  std::vector<Model> evicted;  // Destroyed (unmapped, freed) after the lock is released.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    totals_.load_seconds += seconds;
    ModelStats& stats = stats_[key];
    stats.key = key;
    if (result.ok()) {
      ++totals_.loads;
      ++stats.loads;
      if (!flight->erased) InsertLocked(key, *result, &evicted);
    } else {
      ++totals_.load_failures;
    }
    flight->result = result;
    flight->done = true;
    flights_.erase(key);
  }
  loaded_.notify_all();
  return result;
}

void ModelCache::InsertLocked(const std::string& key, Model model, std::vector<Model>* evicted) {
  size_t bytes = model->MemoryBytes();
  lru_.push_front(key);
  entries_[key] = Entry{std::move(model), bytes, lru_.begin()};
  bytes_ += bytes;
  EvictLocked(evicted);
}

void ModelCache::EvictLocked(std::vector<Model>* evicted) {
  auto over = [&] {
    return (options_.max_models > 0 && entries_.size() > options_.max_models) ||
           (options_.max_bytes > 0 && bytes_ > options_.max_bytes);
  };
  while (over() && lru_.size() > 1) {
    auto it = entries_.find(lru_.back());
    bytes_ -= it->second.bytes;
    evicted->push_back(std::move(it->second.model));
    entries_.erase(it);
    lru_.pop_back();
    ++totals_.evictions;
  }
}

ModelCache::Model ModelCache::Peek(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.model;
}

bool ModelCache::Erase(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto flight = flights_.find(key);
  if (flight != flights_.end()) flight->second->erased = true;
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  bytes_ -= it->second.bytes;
  lru_.erase(it->second.lru);
  entries_.erase(it);
  return true;
}

void ModelCache::RecordRequest(const std::string& key, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ModelStats& stats = stats_[key];
  stats.key = key;
  ++stats.requests;
  stats.latency_seconds += seconds;
}

std::vector<std::string> ModelCache::LoadedKeys() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {lru_.begin(), lru_.end()};
}

ModelStats ModelCache::Stats(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = stats_.find(key);
  ModelStats m = it != stats_.end() ? it->second : ModelStats{key};
  FillLoadedLocked(m);
  return m;
}

void ModelCache::FillLoadedLocked(ModelStats& m) const {
  auto it = entries_.find(m.key);
  m.loaded = it != entries_.end();
  m.bytes = m.loaded ? it->second.bytes : 0;
}

ModelCacheSnapshot ModelCache::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  ModelCacheSnapshot s = totals_;
  s.loaded_models = entries_.size();
  s.loaded_bytes = bytes_;
  s.models.clear();
  for (const auto& [key, stats] : stats_) {
    ModelStats m = stats;
    FillLoadedLocked(m);
    s.models.push_back(std::move(m));
  }
  return s;
}

std::string ModelCache::PrometheusText() const {
  ModelCacheSnapshot s = Snapshot();
  std::string out;
  Metric(&out, "grove_model_cache_hits_total", "counter", "Requests that found their model loaded.", s.hits);
  Metric(&out, "grove_model_cache_misses_total", "counter", "Requests that had to wait for a model load.", s.misses);
  Metric(&out, "grove_model_cache_loads_total", "counter", "Models loaded.", s.loads);
  Metric(&out, "grove_model_cache_load_failures_total", "counter", "Model loads that failed.", s.load_failures);
  Metric(&out, "grove_model_cache_load_seconds_total", "counter", "Time spent loading models.", s.load_seconds);
  Metric(&out, "grove_model_cache_evictions_total", "counter", "Models evicted for the budget.", s.evictions);
  Metric(&out, "grove_model_cache_loaded_models", "gauge", "Models loaded now.", double(s.loaded_models));
  Metric(&out, "grove_model_cache_loaded_bytes", "gauge", "Estimated bytes of loaded models.", double(s.loaded_bytes));
  out += "# HELP grove_model_requests_total Requests served per model.\n# TYPE grove_model_requests_total counter\n";
  for (const auto& m : s.models) {
    out += "grove_model_requests_total{model=\"" + LabelValue(m.key) + "\"} " + Number(double(m.requests)) + "\n";
  }
  out += "# HELP grove_model_request_latency_seconds Request latency per model.\n"
         "# TYPE grove_model_request_latency_seconds summary\n";
  for (const auto& m : s.models) {
    std::string label = "{model=\"" + LabelValue(m.key) + "\"} ";
    out += "grove_model_request_latency_seconds_sum" + label + Number(m.latency_seconds) + "\n";
    out += "grove_model_request_latency_seconds_count" + label + Number(double(m.requests)) + "\n";
  }
  return out;
}

}  // namespace grove::serving
