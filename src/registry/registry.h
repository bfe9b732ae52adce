#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::registry {

// The model registry's rules on top of the metadata store: groups, numbered
// versions, and the approval workflow (PendingManualApproval -> Approved |
// Rejected, with comment, who and when). Every change is an event.
class Registry {
 public:
  Registry(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  // Registers a new version (N+1) in `version.group`, creating the group on
  // first use. `version.approval_status` defaults to PendingManualApproval.
  Result<store::ModelVersionRecord> Register(store::ModelVersionRecord version);

  Result<store::ModelVersionRecord> Approve(const std::string& group, int version, const std::string& comment,
                                            const std::string& by);
  Result<store::ModelVersionRecord> Reject(const std::string& group, int version, const std::string& comment,
                                           const std::string& by);

  Result<std::vector<store::ModelGroupRecord>> Groups();
  Result<std::vector<store::ModelVersionRecord>> Versions(const std::string& group);
  Result<store::ModelVersionRecord> Get(const std::string& group, int version);

  // Parses "Group/3" into its parts.
  static Result<std::pair<std::string, int>> ParseVersionRef(const std::string& ref);
  static bool IsApprovalStatus(const std::string& status);

 private:
  Result<store::ModelVersionRecord> SetStatus(const std::string& group, int version, const std::string& status,
                                              const std::string& comment, const std::string& by);

  store::MetadataStore* metadata_;
  const Clock* clock_;
};

}  // namespace grove::registry
