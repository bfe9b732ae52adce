#include "serving/endpoint_resolution.h"

#include <fnmatch.h>

#include <algorithm>

#include "registry/registry.h"

namespace grove::serving {

Result<ApprovedVersions> LoadApprovedVersions(
    store::MetadataStore& metadata, const std::function<void(const store::ModelVersionRecord&)>& on_approved) {
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> groups, metadata.ListModelGroups());
  ApprovedVersions approved;
  for (const store::ModelGroupRecord& group : groups) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, metadata.ListModelVersions(group.name));
    std::vector<int>& list = approved[group.name];
    for (const store::ModelVersionRecord& v : versions) {
      if (v.approval_status != store::kApproved) continue;
      list.push_back(v.version);
      if (on_approved) on_approved(v);
    }
  }
  return approved;
}

bool MatchesPattern(const std::string& pattern, const std::string& group) {
  return fnmatch(pattern.c_str(), group.c_str(), 0) == 0;
}

ResolvedEndpoint::ResolvedEndpoint(store::EndpointRecord record, const ApprovedVersions& approved,
                                   const registry::TrafficSpec& traffic, const MetricsSource& metrics)
    : record_(std::move(record)) {
  auto serve = [&](const std::string& group, int pin) {
    auto it = approved.find(group);
    if (it == approved.end() || it->second.empty()) {
      unavailable_.push_back(group);
      return;
    }
    ServedGroup served;
    served.group = group;
    served.approved = it->second;
    served.pinned = pin != 0 && std::binary_search(it->second.begin(), it->second.end(), pin);
    served.version = served.pinned ? pin : it->second.back();
    groups_[group] = std::move(served);
  };
  for (const store::EndpointDeployment& d : record_.deployments) serve(d.group, d.version);
  for (const auto& entry : approved) {
    const std::string& group = entry.first;  // Not a structured binding: clang 14 cannot capture those.
    if (groups_.count(group) != 0) continue;
    bool follows = std::any_of(record_.follow.begin(), record_.follow.end(),
                               [&](const std::string& pattern) { return MatchesPattern(pattern, group); });
    if (follows) serve(group, 0);
  }
  for (const registry::VariantSpec& spec : traffic.variants) {
    auto it = approved.find(spec.group);
    if (it == approved.end() || !std::binary_search(it->second.begin(), it->second.end(), spec.version)) continue;
    if (groups_.count(spec.group) == 0) serve(spec.group, spec.version);
    ServedVariant v{spec.name, spec.group, spec.version, spec.shadow ? 0 : spec.weight, spec.shadow,
                    store::VersionRef(spec.group, spec.version), nullptr};
    v.metrics = metrics ? metrics(v.name, v.key) : std::make_shared<VariantMetrics>();
    has_shadows_ = has_shadows_ || v.shadow;
    variants_.push_back(std::move(v));
  }
  for (size_t i = 0; i < variants_.size(); ++i) {
    if (variants_[i].shadow || variants_[i].weight <= 0) continue;
    live_.push_back(i);
    live_by_group_[variants_[i].group].push_back(i);
  }
  std::sort(unavailable_.begin(), unavailable_.end());
  unavailable_.erase(std::unique(unavailable_.begin(), unavailable_.end()), unavailable_.end());
}

void ResolvedEndpoint::Serve(const std::string& group, int version) {
  auto it = groups_.find(group);
  if (it != groups_.end()) it->second.version = version;
}

std::string ResolvedEndpoint::ModelList() const {
  std::string list;
  for (const auto& [name, served] : groups_) {
    if (!list.empty()) list += ", ";
    list += name + " (version " + std::to_string(served.version) + ")";
  }
  return list.empty() ? "none" : list;
}

Result<std::string> ResolvedEndpoint::Find(std::string_view model) const {
  if (model.empty()) {
    if (groups_.size() == 1) {
      const ServedGroup& only = groups_.begin()->second;
      return store::VersionRef(only.group, only.version);
    }
    if (groups_.empty()) return Status::NotFound("endpoint '" + name() + "' serves no model yet");
    return Status::InvalidArgument("endpoint '" + name() + "' serves several models; name one with \"model\" or " +
                                   "the X-Amzn-SageMaker-Target-Model header (models: " + ModelList() + ")");
  }
  std::string_view group = model;
  int version = 0;
  if (model.find('/') != std::string_view::npos) {
    ASSIGN_OR_RETURN(auto ref, registry::Registry::ParseVersionRef(std::string(model)));
    version = ref.second;
    group = model.substr(0, ref.first.size());
  }
  auto it = groups_.find(group);
  if (it == groups_.end()) {
    std::string why = std::binary_search(unavailable_.begin(), unavailable_.end(), group)
                          ? "' has no Approved version, so endpoint '" + name() + "' does not serve it"
                          : "' is not served by endpoint '" + name() + "'";
    return Status::NotFound("model '" + std::string(group) + why + " (models: " + ModelList() + ")");
  }
  const ServedGroup& served = it->second;
  if (version == 0) return store::VersionRef(served.group, served.version);
  if (!std::binary_search(served.approved.begin(), served.approved.end(), version)) {
    std::string versions;
    for (int v : served.approved) versions += (versions.empty() ? "" : ", ") + std::to_string(v);
    return Status::NotFound("model '" + std::string(model) + "' is not deployed on endpoint '" + name() +
                            "': only Approved versions are (" + served.group + " versions " + versions + ")");
  }
  return store::VersionRef(served.group, version);
}

const ServedVariant* ResolvedEndpoint::Pick(const std::vector<size_t>& live, double random) const {
  double total = 0;
  for (size_t i : live) total += variants_[i].weight;
  double point = random * total;
  for (size_t i : live) {
    point -= variants_[i].weight;
    if (point < 0) return &variants_[i];
  }
  return &variants_[live.back()];  // random * total rounded up to total.
}

Result<Route> ResolvedEndpoint::RouteRequest(std::string_view model, std::string_view variant, double random) const {
  if (!variant.empty()) {
    for (const ServedVariant& v : variants_) {
      if (v.name == variant && !v.shadow) return Route{v.key, &v};
    }
    std::string names;
    for (size_t i : live_) names += (names.empty() ? "" : ", ") + variants_[i].name;
    return Status::NotFound("endpoint '" + name() + "' has no variant '" + std::string(variant) +
                            "' taking traffic (variants: " + (names.empty() ? "none" : names) + ")");
  }
  if (model.find('/') == std::string_view::npos) {
    const std::vector<size_t>* live = &live_;
    if (!model.empty()) {
      auto it = live_by_group_.find(model);
      live = it == live_by_group_.end() ? nullptr : &it->second;
    }
    if (live != nullptr && !live->empty()) {
      const ServedVariant* chosen = Pick(*live, random);
      return Route{chosen->key, chosen};
    }
  }
  ASSIGN_OR_RETURN(std::string key, Find(model));
  return Route{std::move(key), nullptr};
}

std::vector<const ServedVariant*> ResolvedEndpoint::ShadowsOf(std::string_view group) const {
  std::vector<const ServedVariant*> shadows;
  for (const ServedVariant& v : variants_) {
    if (v.shadow && v.group == group) shadows.push_back(&v);
  }
  return shadows;
}

}  // namespace grove::serving
