#include "serving/endpoint_service.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "registry/registry.h"

namespace grove::serving {

using store::VersionRef;

namespace {

// Uniform in [0, 1), from a generator of this thread's own (no lock per request).
double Uniform() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

}  // namespace

EndpointService::EndpointService(store::MetadataStore* metadata, store::ArtifactStore* artifacts,
                                 ModelCacheOptions cache_options, bool preload)
    : metadata_(metadata),
      artifacts_(artifacts),
      preload_(preload),
      cache_(cache_options, [this](const std::string& key) { return LoadVersion(key); }),
      snapshot_(std::make_shared<const EndpointSnapshot>()),
      shadows_(&cache_, SystemClock::Default()) {}

std::shared_ptr<VariantMetrics> EndpointService::MetricsOf(const std::string& endpoint, const std::string& name,
                                                           const std::string& key) {
  std::lock_guard<std::mutex> lock(metrics_mutex_);
  std::shared_ptr<VariantMetrics>& metrics = variant_metrics_[endpoint + ' ' + name + ' ' + key];
  if (metrics == nullptr) metrics = std::make_shared<VariantMetrics>();
  return metrics;
}

Result<ModelCache::Model> EndpointService::LoadVersion(const std::string& key) {
  Result<ModelCache::Model> model = [&]() -> Result<ModelCache::Model> {
    std::shared_ptr<const EndpointSnapshot> current = snapshot_.load();
    if (auto it = current->sources.find(key); it != current->sources.end()) {
      return LoadDeployedModel(*artifacts_, it->second);
    }
    // Not Approved when the snapshot was made: approved since (about to be
    // published), or asked for by Load.
    ASSIGN_OR_RETURN(auto ref, registry::Registry::ParseVersionRef(key));
    ASSIGN_OR_RETURN(store::ModelVersionRecord record, metadata_->GetModelVersion(ref.first, ref.second));
    return LoadDeployedModel(*artifacts_, record);
  }();
  std::lock_guard<std::mutex> lock(errors_mutex_);
  if (model.ok()) {
    load_errors_.erase(key);
    return model;
  }
  load_errors_[key] = model.status().message();
  // Whatever the cause (a missing or corrupt artifact, a transform that does
  // not fit), a version that does not load is the server's failure, not the
  // request's: one code for every caller (docs/api.md, ModelError).
  return Status::IOError("cannot load " + model.status().message());
}

bool EndpointService::Preload(const std::string& key) { return cache_.Get(key).ok(); }

Status EndpointService::Refresh() {
  std::lock_guard<std::mutex> lock(refresh_mutex_);
  ASSIGN_OR_RETURN(std::vector<store::EndpointRecord> records, metadata_->ListEndpoints());
  std::unordered_map<std::string, DeployedModelInfo> sources;
  ASSIGN_OR_RETURN(ApprovedVersions approved,
                   LoadApprovedVersions(*metadata_, [&sources](const store::ModelVersionRecord& v) {
                     DeployedModelInfo info = InfoOf(v);
                     std::string key = info.Key();
                     sources.emplace(std::move(key), std::move(info));
                   }));
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> traffic_docs,
                   store::ReadValue(*metadata_, [](store::StoreReader& rows) {
                     return rows.ListResources(registry::kTrafficKind, "", "", 0);
                   }));
  std::map<std::string, registry::TrafficSpec> traffic;
  for (const store::ResourceRecord& doc : traffic_docs) {
    Result<registry::TrafficSpec> spec = registry::TrafficFromJson(doc.body);
    if (spec.ok()) traffic[doc.name] = std::move(*spec);  // Written by registry::Traffic, so always readable.
  }
  std::shared_ptr<const EndpointSnapshot> previous = snapshot_.load();
  std::map<std::string, std::shared_ptr<ResolvedEndpoint>> endpoints;
  for (store::EndpointRecord& record : records) {
    std::string name = record.name;
    auto metrics = [this, &name](const std::string& variant, const std::string& key) {
      return MetricsOf(name, variant, key);
    };
    endpoints[name] = std::make_shared<ResolvedEndpoint>(std::move(record), approved, traffic[name], metrics);
  }
  KeepWorkingVersions(*previous, &endpoints);
  auto next = std::make_shared<EndpointSnapshot>();
  next->generation = previous->generation + 1;
  next->endpoints.insert(endpoints.begin(), endpoints.end());
  next->sources = std::move(sources);
  snapshot_.store(std::move(next));
  DropUnapproved(approved);
  return Status::OK();
}

void EndpointService::KeepWorkingVersions(const EndpointSnapshot& previous,
                                          std::map<std::string, std::shared_ptr<ResolvedEndpoint>>* next) {
  if (!preload_) return;
  for (auto& [name, endpoint] : *next) {
    auto before = previous.endpoints.find(name);
    for (const ServedVariant& v : endpoint->variants()) {  // Variants are live at once: load them first.
      if (!endpoint->record().multi_model && cache_.Peek(v.key) == nullptr) Preload(v.key);
    }
    for (const auto& [group, served] : endpoint->groups()) {
      const ServedGroup* old = nullptr;
      if (before != previous.endpoints.end()) {
        auto it = before->second->groups().find(group);
        if (it != before->second->groups().end()) old = &it->second;
      }
      std::string key = VersionRef(group, served.version);
      if (old != nullptr && old->version == served.version) continue;
      bool hot = old != nullptr && cache_.Peek(VersionRef(group, old->version)) != nullptr;
      if (endpoint->record().multi_model && !hot) continue;  // Loads on first use.
      if (Preload(key)) continue;
      // The new version does not load: keep the old one if it may still serve.
      if (old != nullptr &&
          std::find(served.approved.begin(), served.approved.end(), old->version) != served.approved.end()) {
        endpoint->Serve(group, old->version);
      }
    }
  }
}

void EndpointService::DropUnapproved(const ApprovedVersions& approved) {
  for (const std::string& key : cache_.LoadedKeys()) {
    Result<std::pair<std::string, int>> ref = registry::Registry::ParseVersionRef(key);
    if (!ref.ok()) continue;
    auto it = approved.find(ref->first);
    if (it == approved.end() || std::find(it->second.begin(), it->second.end(), ref->second) == it->second.end()) {
      cache_.Erase(key);
    }
  }
}

Result<std::shared_ptr<const ResolvedEndpoint>> EndpointService::Endpoint(std::string_view name) const {
  std::shared_ptr<const EndpointSnapshot> snap = snapshot_.load();
  auto it = snap->endpoints.find(name);
  if (it != snap->endpoints.end()) return it->second;
  std::string names;
  for (const auto& [n, e] : snap->endpoints) names += (names.empty() ? "" : ", ") + n;
  return Status::NotFound("no endpoint '" + std::string(name) + "' (endpoints: " + (names.empty() ? "none" : names) +
                          ")");
}

Status EndpointService::Load(std::string_view endpoint_name) {
  ASSIGN_OR_RETURN(std::shared_ptr<const ResolvedEndpoint> endpoint, Endpoint(endpoint_name));
  for (const auto& [group, served] : endpoint->groups()) {
    RETURN_IF_ERROR(cache_.Get(VersionRef(group, served.version)).status());
  }
  return Status::OK();
}

Result<Invocation> EndpointService::Invoke(std::string_view endpoint_name, std::string_view model,
                                           const PredictRequest& request) {
  ASSIGN_OR_RETURN(std::shared_ptr<const ResolvedEndpoint> endpoint, Endpoint(endpoint_name));
  return Invoke(*endpoint, model, request);
}

Result<Invocation> EndpointService::Invoke(const ResolvedEndpoint& endpoint, std::string_view model,
                                           const PredictRequest& request, std::string_view variant,
                                           std::string* routed) {
  // A draw only where there is something to choose between: the hot path without variants makes none.
  const double random = endpoint.variants().empty() ? 0 : Uniform();
  ASSIGN_OR_RETURN(Route route, endpoint.RouteRequest(model.empty() ? request.model : model, variant, random));
  if (route.variant != nullptr && routed != nullptr) *routed = route.variant->name;
  auto start = std::chrono::steady_clock::now();
  Result<ModelCache::Model> deployed = cache_.Get(route.key);
  Result<Predictions> answer = deployed.ok() ? Predict(**deployed, request) : Result<Predictions>(deployed.status());
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (route.variant != nullptr) route.variant->metrics->RecordRequest(took.count(), answer.ok() ? &*answer : nullptr);
  RETURN_IF_ERROR(answer.status());
  cache_.RecordRequest(route.key, took.count());
  if (endpoint.has_shadows()) {
    std::shared_ptr<const PredictRequest> copy;
    for (const ServedVariant* shadow : endpoint.ShadowsOf(std::string_view(route.key).substr(0, route.key.rfind('/')))) {
      if (copy == nullptr) copy = std::make_shared<const PredictRequest>(request);
      shadows_.Submit(copy, *answer, shadow->key, shadow->metrics);
    }
  }
  Invocation invocation;
  invocation.predictions = std::move(*answer);
  invocation.model_key = std::move(route.key);
  if (route.variant != nullptr) invocation.variant = route.variant->name;
  return invocation;
}

Result<VariantCounters> EndpointService::Counters(std::string_view endpoint_name, std::string_view name) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const ResolvedEndpoint> endpoint, Endpoint(endpoint_name));
  for (const ServedVariant& v : endpoint->variants()) {
    if (v.name == name) return v.metrics->Counters();
  }
  return Status::NotFound("endpoint '" + std::string(endpoint_name) + "' serves no variant '" + std::string(name) +
                          "'");
}

std::vector<EndpointState> EndpointService::Describe() const {
  std::shared_ptr<const EndpointSnapshot> snap = snapshot_.load();
  std::map<std::string, std::string> errors;
  {
    std::lock_guard<std::mutex> lock(errors_mutex_);
    errors = load_errors_;
  }
  std::vector<EndpointState> states;
  for (const auto& [name, endpoint] : snap->endpoints) {
    EndpointState state;
    state.name = name;
    state.multi_model = endpoint->record().multi_model;
    state.follow = endpoint->record().follow;
    state.capture_percent = endpoint->record().capture_percent;
    size_t loaded = 0, failed = 0;
    for (const auto& [group, served] : endpoint->groups()) {
      ServedModelState model{group, served.version, served.pinned, served.approved, "NotLoaded", ""};
      std::string key = VersionRef(group, served.version);
      ModelStats traffic = cache_.Stats(key);
      model.requests = traffic.requests;
      model.latency_seconds = traffic.latency_seconds;
      if (cache_.Peek(key) != nullptr) {
        model.state = "Loaded";
        ++loaded;
      } else if (auto it = errors.find(key); it != errors.end()) {
        model.state = "Failed";
        model.error = it->second;
        ++failed;
      }
      state.models.push_back(std::move(model));
    }
    for (const ServedVariant& v : endpoint->variants()) {
      state.variants.push_back({v.name, v.key, v.weight, v.shadow, v.metrics->Counters(),
                                v.shadow ? v.metrics->Samples() : std::vector<ShadowSample>{}});
    }
    size_t count = state.models.size();
    if (count == 0) {
      state.status = "NoModels";
    } else if (state.multi_model ? failed < count : loaded == count) {
      state.status = "InService";
    } else {
      state.status = "Creating";
    }
    states.push_back(std::move(state));
  }
  return states;
}

std::string VariantsPrometheusText(const std::vector<EndpointState>& endpoints) {
  struct Metric {
    const char* name;
    const char* type;
    const char* help;
    bool shadows_only;
    double (*value)(const VariantCounters&);
  };
  static const Metric kMetrics[] = {
      {"grove_variant_requests_total", "counter", "Invocations routed to the variant.", false,
       [](const VariantCounters& c) { return static_cast<double>(c.requests); }},
      {"grove_variant_errors_total", "counter", "Invocations routed to the variant that failed.", false,
       [](const VariantCounters& c) { return static_cast<double>(c.errors); }},
      {"grove_variant_latency_p99_seconds", "gauge", "The variant's p99 model latency since the server started.",
       false, [](const VariantCounters& c) { return c.LatencyQuantileSeconds(0.99); }},
      {"grove_variant_shadow_compared_rows_total", "counter", "Rows a shadow answered and compared.", true,
       [](const VariantCounters& c) { return static_cast<double>(c.compared); }},
      {"grove_variant_shadow_agreement_ratio", "gauge", "Share of compared rows where the shadow agreed.", true,
       [](const VariantCounters& c) { return c.AgreementRate(); }},
  };
  std::string out;
  for (const Metric& metric : kMetrics) {
    std::string lines;
    for (const EndpointState& e : endpoints) {
      for (const VariantState& v : e.variants) {
        if (metric.shadows_only && !v.shadow) continue;
        char value[64];
        std::snprintf(value, sizeof value, "%.9g", metric.value(v.counters));
        lines += std::string(metric.name) + "{endpoint=\"" + e.name + "\",variant=\"" + v.name + "\"} " + value + "\n";
      }
    }
    if (lines.empty()) continue;
    out += std::string("# HELP ") + metric.name + " " + metric.help + "\n# TYPE " + metric.name + " " + metric.type +
           "\n" + lines;
  }
  return out;
}

}  // namespace grove::serving
