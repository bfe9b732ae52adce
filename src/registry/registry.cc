#include "registry/registry.h"

namespace grove::registry {

namespace {
constexpr const char* kPending = "PendingManualApproval";
constexpr const char* kApproved = "Approved";
constexpr const char* kRejected = "Rejected";
}  // namespace

bool Registry::IsApprovalStatus(const std::string& status) {
  return status == kPending || status == kApproved || status == kRejected;
}

Result<store::ModelVersionRecord> Registry::Register(store::ModelVersionRecord version) {
  if (version.group.empty()) return Status::InvalidArgument("model group name is empty");
  if (version.approval_status.empty()) version.approval_status = kPending;
  if (!IsApprovalStatus(version.approval_status)) {
    return Status::InvalidArgument("approval status '" + version.approval_status +
                                   "' is not one of PendingManualApproval, Approved, Rejected");
  }
  version.created_at = clock_->Now();
  if (version.approval_status != kPending) version.approval_changed_at = version.created_at;
  return metadata_->CreateModelVersion(version);
}

Result<store::ModelVersionRecord> Registry::SetStatus(const std::string& group, int version, const std::string& status,
                                                      const std::string& comment, const std::string& by) {
  store::ApprovalChange change{status, comment, by.empty() ? "unknown" : by, clock_->Now()};
  return metadata_->SetApproval(group, version, change);
}

Result<store::ModelVersionRecord> Registry::Approve(const std::string& group, int version, const std::string& comment,
                                                    const std::string& by) {
  return SetStatus(group, version, kApproved, comment, by);
}

Result<store::ModelVersionRecord> Registry::Reject(const std::string& group, int version, const std::string& comment,
                                                   const std::string& by) {
  return SetStatus(group, version, kRejected, comment, by);
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
