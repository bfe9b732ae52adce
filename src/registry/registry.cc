#include "registry/registry.h"

#include <cctype>

#include "registry/resource_name.h"
#include "store/lookups.h"

namespace grove::registry {

bool Registry::IsApprovalStatus(const std::string& status) { return store::IsApprovalStatus(status); }

namespace {

Status CheckApprovalStatus(const std::string& status) {
  if (store::IsApprovalStatus(status)) return Status::OK();
  return Status::InvalidArgument("approval status '" + status +
                                 "' is not one of PendingManualApproval, Approved, Rejected");
}

}  // namespace

Result<store::ModelVersionRecord> Registry::Register(store::ModelVersionRecord version) {
  return store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) { return Register(txn, version); });
}

Result<store::ModelVersionRecord> Registry::Register(store::StoreTransaction& txn,
                                                     store::ModelVersionRecord version) {
  RETURN_IF_ERROR(ValidateModelGroupName(version.group));
  if (version.approval_status.empty()) version.approval_status = store::kPendingManualApproval;
  RETURN_IF_ERROR(CheckApprovalStatus(version.approval_status));
  TimeMs now = clock_->Now();
  version.created_at = now;
  if (version.approval_status != store::kPendingManualApproval) version.approval_changed_at = now;
  ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, txn.FindModelGroup(version.group));
  if (!group) RETURN_IF_ERROR(txn.PutModelGroup({version.group, "", 0, now}));
  ASSIGN_OR_RETURN(version.version, txn.NextModelVersion(version.group));
  RETURN_IF_ERROR(txn.PutModelVersion(version));
  Json payload = {{"group", version.group},
                  {"version", version.version},
                  {"approval_status", version.approval_status},
                  {"model_digest", version.model_digest},
                  {"execution_id", version.execution_id}};
  RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventModelCreated, store::VersionRef(version.group, version.version),
                                  payload)
                      .status());
  return version;
}

Result<store::ModelGroupRecord> Registry::CreateGroup(const std::string& name, const std::string& description) {
  RETURN_IF_ERROR(ValidateModelGroupName(name));
  store::ModelGroupRecord group{name, description, 0, clock_->Now()};
  RETURN_IF_ERROR(metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> existing, txn.FindModelGroup(name));
    if (existing) return Status::AlreadyExists("model group '" + name + "' already exists");
    return txn.PutModelGroup(group);
  }));
  return group;
}

Status Registry::DeleteGroup(const std::string& name) {
  return metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, txn.FindModelGroup(name));
    if (!group) return Status::NotFound("no model group '" + name + "'");
    if (group->version_count > 0) {
      return Status::FailedPrecondition("model group '" + name + "' has " + std::to_string(group->version_count) +
                                        " versions; only an empty group can be deleted");
    }
    return txn.DeleteModelGroup(name).status();
  });
}

Result<store::ModelVersionRecord> Registry::SetStatus(store::StoreTransaction& txn, const std::string& group,
                                                      int version, const std::string& status,
                                                      const std::string& comment, const std::string& by) {
  RETURN_IF_ERROR(CheckApprovalStatus(status));
  ASSIGN_OR_RETURN(store::ModelVersionRecord v, store::RequireModelVersion(txn, group, version));
  if (v.approval_status == status) {
    return Status::FailedPrecondition(store::VersionRef(group, version) + " is already " + status);
  }
  std::string previous = v.approval_status;
  v.approval_status = status;
  v.approval_comment = comment;
  v.approved_by = by.empty() ? "unknown" : by;
  v.approval_changed_at = clock_->Now();
  RETURN_IF_ERROR(txn.PutModelVersion(v));
  Json payload = {{"group", group},   {"version", version},  {"status", status}, {"previous_status", previous},
                  {"comment", comment}, {"by", v.approved_by}};
  RETURN_IF_ERROR(
      txn.AppendEvent(v.approval_changed_at, store::kEventModelApproval, store::VersionRef(group, version), payload)
          .status());
  return v;
}

Result<store::ModelVersionRecord> Registry::Approve(const std::string& group, int version, const std::string& comment,
                                                    const std::string& by) {
  return store::TransactValue(*metadata_,
                              [&](store::StoreTransaction& txn) { return Approve(txn, group, version, comment, by); });
}

Result<store::ModelVersionRecord> Registry::Approve(store::StoreTransaction& txn, const std::string& group,
                                                    int version, const std::string& comment, const std::string& by) {
  return SetStatus(txn, group, version, store::kApproved, comment, by);
}

Result<store::ModelVersionRecord> Registry::Reject(const std::string& group, int version, const std::string& comment,
                                                   const std::string& by) {
  return store::TransactValue(*metadata_,
                              [&](store::StoreTransaction& txn) { return Reject(txn, group, version, comment, by); });
}

Result<store::ModelVersionRecord> Registry::Reject(store::StoreTransaction& txn, const std::string& group,
                                                   int version, const std::string& comment, const std::string& by) {
  return SetStatus(txn, group, version, store::kRejected, comment, by);
}

Result<std::vector<store::ModelGroupRecord>> Registry::Groups() { return metadata_->ListModelGroups(); }

Result<std::vector<store::ModelVersionRecord>> Registry::Versions(const std::string& group) {
  return metadata_->ListModelVersions(group);
}

Result<store::ModelVersionRecord> Registry::Get(const std::string& group, int version) {
  return metadata_->GetModelVersion(group, version);
}

Result<std::pair<std::string, int>> Registry::ParseVersionRef(const std::string& ref) {
  size_t slash = ref.rfind('/');
  auto bad = Status::InvalidArgument("'" + ref + "' is not a model version; expected <group>/<version>, e.g. "
                                     "AbalonePackageGroup/1");
  if (slash == std::string::npos || slash == 0 || slash + 1 == ref.size()) return bad;
  int version = 0;
  for (size_t i = slash + 1; i < ref.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(ref[i])) || version > 100'000'000) return bad;
    version = version * 10 + (ref[i] - '0');
  }
  if (version <= 0) return bad;
  return std::make_pair(ref.substr(0, slash), version);
}

}  // namespace grove::registry
