#include "serving/endpoint_service.h"

#include <chrono>

#include "registry/registry.h"

namespace grove::serving {

using store::VersionRef;

EndpointService::EndpointService(store::MetadataStore* metadata, store::ArtifactStore* artifacts,
                                 ModelCacheOptions cache_options, bool preload)
    : metadata_(metadata),
      artifacts_(artifacts),
      preload_(preload),
      cache_(cache_options, [this](const std::string& key) { return LoadVersion(key); }),
      snapshot_(std::make_shared<const EndpointSnapshot>()) {}

Result<ModelCache::Model> EndpointService::LoadVersion(const std::string& key) {
  Result<ModelCache::Model> model = [&]() -> Result<ModelCache::Model> {
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
  ASSIGN_OR_RETURN(ApprovedVersions approved, LoadApprovedVersions(*metadata_));
  std::shared_ptr<const EndpointSnapshot> previous = snapshot_.load();
  std::map<std::string, std::shared_ptr<ResolvedEndpoint>> endpoints;
  for (store::EndpointRecord& record : records) {
    std::string name = record.name;
    endpoints[name] = std::make_shared<ResolvedEndpoint>(std::move(record), approved);
  }
  KeepWorkingVersions(*previous, &endpoints);
  auto next = std::make_shared<EndpointSnapshot>();
  next->generation = previous->generation + 1;
  next->endpoints.insert(endpoints.begin(), endpoints.end());
  snapshot_.store(std::move(next));
  DropUnapproved(approved);
  return Status::OK();
}

void EndpointService::KeepWorkingVersions(const EndpointSnapshot& previous,
                                          std::map<std::string, std::shared_ptr<ResolvedEndpoint>>* next) {
  if (!preload_) return;
  for (auto& [name, endpoint] : *next) {
    auto before = previous.endpoints.find(name);
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
                                           const PredictRequest& request) {
  Invocation invocation;
  ASSIGN_OR_RETURN(invocation.model_key, endpoint.Find(model.empty() ? request.model : model));
  ASSIGN_OR_RETURN(ModelCache::Model deployed, cache_.Get(invocation.model_key));
  auto start = std::chrono::steady_clock::now();
  if (request.input == InputKind::kRaw) {
    ASSIGN_OR_RETURN(invocation.predictions,
                     deployed->PredictRaw(request.cells, request.rows, request.cols, request.output));
  } else {
    ASSIGN_OR_RETURN(invocation.predictions,
                     deployed->PredictFeatures(request.features, request.rows, request.cols, request.output));
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  cache_.RecordRequest(invocation.model_key, took.count());
  return invocation;
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

}  // namespace grove::serving
