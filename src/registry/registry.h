#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::registry {

// The model registry's rules on top of the metadata store's rows: groups with
// valid names (resource_name.h), versions numbered 1, 2, 3, ... per group (the
// store keeps them unique and gap-free), and the approval workflow
// (PendingManualApproval -> Approved | Rejected and back, with comment, who and
// when; setting the status a version already has is refused). Every change
// appends its event (model.created, model.approval; payloads in store/records.h)
// in the same transaction.
//
// Each change has two forms: one that runs its own transaction, and one that
// runs inside the caller's (so that, e.g., a version is registered together
// with the step run that made it). Thread-safe.
class Registry {
 public:
  Registry(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  // Registers a new version (N+1) in `version.group`, creating the group on
  // first use; `version.version` is ignored. `version.approval_status` defaults
  // to PendingManualApproval. InvalidArgument for a bad group name or status.
  Result<store::ModelVersionRecord> Register(store::ModelVersionRecord version);
  Result<store::ModelVersionRecord> Register(store::StoreTransaction& txn, store::ModelVersionRecord version);

  // Creates an empty group with `description` (SageMaker's
  // CreateModelPackageGroup). InvalidArgument for a bad name; AlreadyExists
  // when the group exists.
  Result<store::ModelGroupRecord> CreateGroup(const std::string& name, const std::string& description);
  // Deletes an empty group. NotFound for an unknown group; FailedPrecondition
  // while it has versions (versions are never deleted: their numbers, lineage
  // and deployments stay meaningful).
  Status DeleteGroup(const std::string& name);

  // NotFound for an unknown group or version; FailedPrecondition "G/1 is
  // already Approved". Nothing changes on error. An empty `by` is "unknown".
  Result<store::ModelVersionRecord> Approve(const std::string& group, int version, const std::string& comment,
                                            const std::string& by);
  Result<store::ModelVersionRecord> Approve(store::StoreTransaction& txn, const std::string& group, int version,
                                            const std::string& comment, const std::string& by);
  Result<store::ModelVersionRecord> Reject(const std::string& group, int version, const std::string& comment,
                                           const std::string& by);
  Result<store::ModelVersionRecord> Reject(store::StoreTransaction& txn, const std::string& group, int version,
                                           const std::string& comment, const std::string& by);

  Result<std::vector<store::ModelGroupRecord>> Groups();
  Result<std::vector<store::ModelVersionRecord>> Versions(const std::string& group);
  Result<store::ModelVersionRecord> Get(const std::string& group, int version);

  // Parses "Group/3" into its parts.
  static Result<std::pair<std::string, int>> ParseVersionRef(const std::string& ref);
  static bool IsApprovalStatus(const std::string& status);

 private:
  Result<store::ModelVersionRecord> SetStatus(store::StoreTransaction& txn, const std::string& group, int version,
                                              const std::string& status, const std::string& comment,
                                              const std::string& by);

  store::MetadataStore* metadata_;
  const Clock* clock_;
};

}  // namespace grove::registry
