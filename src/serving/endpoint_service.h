#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "serving/endpoint_resolution.h"
#include "serving/model_cache.h"
#include "serving/payload.h"
#include "serving/shadow_runner.h"
#include "serving/variant_metrics.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::serving {

// What every endpoint serves right now: one immutable generation, swapped
// whole by Refresh. A request reads one snapshot, so it never sees half of a
// change.
struct EndpointSnapshot {
  int64_t generation = 0;
  std::map<std::string, std::shared_ptr<const ResolvedEndpoint>, std::less<>> endpoints;
  // Every Approved version by key ("group/N"): where a cold load finds it,
  // read with the registry at Refresh so that loads read nothing more of it.
  std::unordered_map<std::string, DeployedModelInfo> sources;
};

// One model of an endpoint as `endpoint show` reports it.
struct ServedModelState {
  std::string group;
  int version = 0;
  bool pinned = false;
  std::vector<int> approved;
  std::string state;  // "Loaded" | "NotLoaded" (loads on first use) | "Failed".
  std::string error;  // The last load error of this version, when Failed.
  // Requests this version answered since the process started, and their
  // summed latency (the model cache's counters, as /metrics shows them).
  uint64_t requests = 0;
  double latency_seconds = 0;
};

// One variant of an endpoint as `endpoint show` reports it: its counters since
// the process started (or since the variant began serving this version).
struct VariantState {
  std::string name;
  std::string model;  // "group/N"
  double weight = 0;
  bool shadow = false;
  VariantCounters counters;
  std::vector<ShadowSample> samples;  // Shadows: the latest comparisons.
};

// One endpoint as this process serves it (app::ToJson gives its JSON view).
struct EndpointState {
  std::string name;
  bool multi_model = false;
  std::vector<std::string> follow;
  double capture_percent = 0;
  // "InService": serves at least one model and is ready (a single-model
  // endpoint once its models are loaded); "Creating": models still loading or
  // failing to; "NoModels": nothing Approved to serve.
  std::string status;
  std::vector<ServedModelState> models;
  std::vector<VariantState> variants;
};

// The answer to one invocation.
struct Invocation {
  Predictions predictions;
  std::string model_key;  // "group/N" that answered.
  std::string variant;    // The variant that answered; empty when none was chosen.
};

// Serves the endpoints of one data folder: resolves each endpoint's models
// from the metadata store (see ResolvedEndpoint for the rule) and keeps the
// models loaded in a shared ModelCache (keys "group/N", shared by endpoints).
//
// Refresh computes the next snapshot and publishes it atomically. Before it
// does, every version about to take traffic is loaded when its endpoint is
// single-model, or when the version it replaces was loaded (hot models stay
// hot); a version that fails to load does not replace a working one. Models
// of multi-model endpoints otherwise load on first request. Versions no
// longer Approved are dropped from the cache; requests that hold them finish.
//
// Thread-safe: Invoke and the other readers run concurrently with each other
// and with Refresh; Refreshes are serialized.
class EndpointService {
 public:
  // `preload` false skips the loading before publishing (for one-shot
  // commands that use one model: they load what they invoke, or call Load).
  EndpointService(store::MetadataStore* metadata, store::ArtifactStore* artifacts, ModelCacheOptions cache_options,
                  bool preload = true);

  // Re-reads endpoints and the registry and publishes the new snapshot.
  Status Refresh();

  std::shared_ptr<const EndpointSnapshot> snapshot() const { return snapshot_.load(); }
  // The endpoint `name` in the current snapshot; NotFound listing those that exist.
  Result<std::shared_ptr<const ResolvedEndpoint>> Endpoint(std::string_view name) const;
  // Loads every model the endpoint serves now; the first load error, if any.
  Status Load(std::string_view endpoint);
  // Predicts `request` with the model it names (`model` overrides the
  // request's own "model" when not empty) on `endpoint`. Errors: NotFound for
  // an unknown endpoint or model, InvalidArgument for rows the model cannot
  // take, FailedPrecondition for raw rows to a model without a transform,
  // IOError "cannot load G/N: <why>" when the model does not load (a model
  // error, whether the request named G or G/N).
  // Requests are routed by ResolvedEndpoint::RouteRequest (`variant` names a
  // variant, else one is chosen by weight); the chosen variant's counters
  // record the outcome, and its group's shadows get a copy. `routed`, when
  // given, receives the chosen variant's name even when the invocation fails.
  Result<Invocation> Invoke(std::string_view endpoint, std::string_view model, const PredictRequest& request);
  // The same on an endpoint the caller has looked up.
  Result<Invocation> Invoke(const ResolvedEndpoint& endpoint, std::string_view model, const PredictRequest& request,
                            std::string_view variant = {}, std::string* routed = nullptr);
  // The current counters of `endpoint`'s variant `name` (rollout alarms read
  // them); NotFound when the endpoint serves no such variant now.
  Result<VariantCounters> Counters(std::string_view endpoint, std::string_view name) const;
  // Waits until shadow copies queued so far are compared (tests).
  void DrainShadows() { shadows_.Drain(); }

  std::vector<EndpointState> Describe() const;
  ModelCache& cache() { return cache_; }

 private:
  // The cache's loader: the registered version `key` ("group/N").
  Result<ModelCache::Model> LoadVersion(const std::string& key);
  // Loads `key` ahead of publishing; false (and the error remembered) on failure.
  bool Preload(const std::string& key);
  // Loads what `next` is about to serve (see the class comment); a version
  // that fails to load goes back to what `previous` served, if still Approved.
  void KeepWorkingVersions(const EndpointSnapshot& previous,
                           std::map<std::string, std::shared_ptr<ResolvedEndpoint>>* next);
  void DropUnapproved(const ApprovedVersions& approved);
  // The counters of `endpoint`'s variant `name` serving `key`, kept across refreshes.
  std::shared_ptr<VariantMetrics> MetricsOf(const std::string& endpoint, const std::string& name,
                                            const std::string& key);

  store::MetadataStore* metadata_;
  store::ArtifactStore* artifacts_;
  const bool preload_;
  ModelCache cache_;
  std::atomic<std::shared_ptr<const EndpointSnapshot>> snapshot_;
  std::mutex refresh_mutex_;  // Serializes Refresh.

  std::mutex metrics_mutex_;
  std::map<std::string, std::shared_ptr<VariantMetrics>> variant_metrics_;  // "endpoint variant key" -> counters.
  ShadowRunner shadows_;

  mutable std::mutex errors_mutex_;
  std::map<std::string, std::string> load_errors_;  // key -> last load error.
};

// Every endpoint's variants' counters in Prometheus text format:
// grove_variant_requests_total, _errors_total, _latency_p99_seconds, and for
// shadows _shadow_compared_rows_total and _shadow_agreement_ratio, each with
// endpoint and variant labels.
std::string VariantsPrometheusText(const std::vector<EndpointState>& endpoints);

}  // namespace grove::serving
