#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/metadata_store.h"
#include "store/records.h"

namespace grove::serving {

// Approved version numbers of every model group, ascending: the part of the
// registry that decides what endpoints serve.
using ApprovedVersions = std::map<std::string, std::vector<int>, std::less<>>;

// Reads the registry's groups and their Approved versions.
Result<ApprovedVersions> LoadApprovedVersions(store::MetadataStore& metadata);

// A model group as one endpoint serves it.
struct ServedGroup {
  std::string group;
  int version = 0;      // The live version: what the bare group name resolves to.
  bool pinned = false;  // True when `version` is a deployment's pin, false when newest Approved.
  std::vector<int> approved;  // Every Approved version, addressable as "group/N".
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
// Immutable once built, shared between request threads.
class ResolvedEndpoint {
 public:
  ResolvedEndpoint(store::EndpointRecord record, const ApprovedVersions& approved);

  const store::EndpointRecord& record() const { return record_; }
  const std::string& name() const { return record_.name; }
  // Served groups by name.
  const std::map<std::string, ServedGroup, std::less<>>& groups() const { return groups_; }

  // The model cache key ("group/N") for a request naming `model`: a group
  // name, "group/N" for any Approved version of a served group, or empty for
  // the endpoint's only model. NotFound says what exists; InvalidArgument when
  // a multi-model request names no model.
  Result<std::string> Find(std::string_view model) const;

  // Makes the endpoint serve `version` of a served `group` (EndpointService
  // keeps a working version when the new one fails to load).
  // REQUIRES: before the endpoint is shared between threads.
  void Serve(const std::string& group, int version);

 private:
  std::string ModelList() const;

  store::EndpointRecord record_;
  std::map<std::string, ServedGroup, std::less<>> groups_;
  // Groups the endpoint follows or pins that have no Approved version now.
  std::vector<std::string> unavailable_;
};

// True when `group` matches the glob `pattern` (*, ?, [...]), as fnmatch(3).
bool MatchesPattern(const std::string& pattern, const std::string& group);

}  // namespace grove::serving
