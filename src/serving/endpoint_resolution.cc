#include "serving/endpoint_resolution.h"

#include <fnmatch.h>

#include <algorithm>

#include "registry/registry.h"

namespace grove::serving {

Result<ApprovedVersions> LoadApprovedVersions(store::MetadataStore& metadata) {
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> groups, metadata.ListModelGroups());
  ApprovedVersions approved;
  for (const store::ModelGroupRecord& group : groups) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, metadata.ListModelVersions(group.name));
    std::vector<int>& list = approved[group.name];
    for (const store::ModelVersionRecord& v : versions) {
      if (v.approval_status == store::kApproved) list.push_back(v.version);
    }
  }
  return approved;
}

bool MatchesPattern(const std::string& pattern, const std::string& group) {
  return fnmatch(pattern.c_str(), group.c_str(), 0) == 0;
}

ResolvedEndpoint::ResolvedEndpoint(store::EndpointRecord record, const ApprovedVersions& approved)
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
  for (const auto& [group, versions] : approved) {
    if (groups_.count(group) != 0) continue;
    bool follows = std::any_of(record_.follow.begin(), record_.follow.end(),
                               [&](const std::string& pattern) { return MatchesPattern(pattern, group); });
    if (follows) serve(group, 0);
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

}  // namespace grove::serving
