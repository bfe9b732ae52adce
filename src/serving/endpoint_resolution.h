#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <functional>
#include <memory>

#include "common/status.h"
#include "registry/traffic.h"
#include "serving/variant_metrics.h"
#include "store/metadata_store.h"
#include "store/records.h"

namespace grove::serving {

// Approved version numbers of every model group, ascending: the part of the
// registry that decides what endpoints serve.
using ApprovedVersions = std::map<std::string, std::vector<int>, std::less<>>;

// Reads the registry's groups and their Approved versions; `on_approved`,
// when given, receives each Approved version's record.
Result<ApprovedVersions> LoadApprovedVersions(
    store::MetadataStore& metadata,
    const std::function<void(const store::ModelVersionRecord&)>& on_approved = nullptr);

// A model group as one endpoint serves it.
struct ServedGroup {
  std::string group;
  int version = 0;      // The live version: what the bare group name resolves to.
  bool pinned = false;  // True when `version` is a deployment's pin, false when newest Approved.
  std::vector<int> approved;  // Every Approved version, addressable as "group/N".
};

// One of an endpoint's variants (registry/traffic.h) whose version is Approved.
struct ServedVariant {
  std::string name;
  std::string group;
  int version = 0;
  double weight = 0;  // 0 for shadows.
  bool shadow = false;
  std::string key;  // "group/N", the model cache's key.
  std::shared_ptr<VariantMetrics> metrics;
};

// Where a request goes: the model cache key, and the variant chosen (null when
// the request named a version, or the endpoint has no variants for it).
struct Route {
  std::string key;
  const ServedVariant* variant = nullptr;
};

// Which version of which group an endpoint serves, computed from its record
// and the registry. The rule, per group:
//   1. A deployment (pin) of an Approved version serves that version.
//   2. A group matching a follow pattern, or a pinned group whose pinned
//      version is no longer Approved, serves its newest Approved version
//      (highest version number). So approving a newer version moves a
//      following endpoint forward, and rejecting the live version falls back
//      to the newest remaining Approved one.
//   3. A group with no Approved version is not served; requests for it get a
//      404 saying so.
// Variants then split a group's requests (Route); a variant of a group the
// endpoint does not otherwise serve makes it served. Variants whose version is
// no longer Approved are left out, their share going to the others.
// Immutable once built, shared between request threads.
class ResolvedEndpoint {
 public:
  // The counters of variant `name` serving `key`; the service keeps them across refreshes.
  using MetricsSource = std::function<std::shared_ptr<VariantMetrics>(const std::string& name, const std::string& key)>;

  ResolvedEndpoint(store::EndpointRecord record, const ApprovedVersions& approved,
                   const registry::TrafficSpec& traffic = {}, const MetricsSource& metrics = nullptr);

  const store::EndpointRecord& record() const { return record_; }
  const std::string& name() const { return record_.name; }
  // Served groups by name.
  const std::map<std::string, ServedGroup, std::less<>>& groups() const { return groups_; }

  // The model cache key ("group/N") for a request naming `model`: a group
  // name, "group/N" for any Approved version of a served group, or empty for
  // the endpoint's only model. NotFound says what exists; InvalidArgument when
  // a multi-model request names no model.
  Result<std::string> Find(std::string_view model) const;

  // Where a request goes: to the variant named `variant` when not empty; to
  // exactly "G/N" when `model` names a version; else, when the group `model`
  // names (or, for an empty `model`, the whole endpoint) has live variants, to
  // one of them chosen by weight with `random` in [0, 1); else as Find.
  Result<Route> RouteRequest(std::string_view model, std::string_view variant, double random) const;
  // Every served variant, live and shadow, in the order they were declared.
  const std::vector<ServedVariant>& variants() const { return variants_; }
  // The shadows of `group` (pointers into variants()).
  std::vector<const ServedVariant*> ShadowsOf(std::string_view group) const;
  bool has_shadows() const { return has_shadows_; }

  // Makes the endpoint serve `version` of a served `group` (EndpointService
  // keeps a working version when the new one fails to load).
  // REQUIRES: before the endpoint is shared between threads.
  void Serve(const std::string& group, int version);

 private:
  std::string ModelList() const;
  // One of `live` (indices into variants_) by weight.
  const ServedVariant* Pick(const std::vector<size_t>& live, double random) const;

  store::EndpointRecord record_;
  std::map<std::string, ServedGroup, std::less<>> groups_;
  // Groups the endpoint follows or pins that have no Approved version now.
  std::vector<std::string> unavailable_;
  std::vector<ServedVariant> variants_;
  std::vector<size_t> live_;                                          // Every live variant.
  std::map<std::string, std::vector<size_t>, std::less<>> live_by_group_;  // Live variants per group.
  bool has_shadows_ = false;
};

// True when `group` matches the glob `pattern` (*, ?, [...]), as fnmatch(3).
bool MatchesPattern(const std::string& pattern, const std::string& group);

}  // namespace grove::serving
