#include "store/model_table.h"

#include "store/messages.h"

namespace grove::store {

namespace {

#define GROVE_MODEL_VERSION_COLUMNS                                                                 \
  "SELECT group_name, version, approval_status, approval_comment, approved_by, approval_changed_at, " \
  "model_digest, metrics, metadata, execution_id, step_name, created_at FROM model_versions "

ModelVersionRecord VersionFromRow(const Statement& row) {
  ModelVersionRecord v;
  v.group = row.Text(0);
  v.version = row.Int(1);
  v.approval_status = row.Text(2);
  v.approval_comment = row.Text(3);
  v.approved_by = row.Text(4);
  v.approval_changed_at = row.Int64(5);
  v.model_digest = row.Text(6);
  v.metrics = row.JsonValue(7);
  v.metadata = row.JsonValue(8);
  v.execution_id = row.Text(9);
  v.step_name = row.Text(10);
  v.created_at = row.Int64(11);
  return v;
}

}  // namespace

Result<ModelVersionRecord> ModelTable::Create(const ModelVersionRecord& version, TimeMs now) {
  if (version.group.empty()) return Status::InvalidArgument("the model version names no model group");
  ModelVersionRecord v = version;
  if (v.approval_status.empty()) v.approval_status = kPendingManualApproval;
  if (!IsApprovalStatus(v.approval_status)) {
    return Status::InvalidArgument("approval status '" + v.approval_status +
                                   "' is not one of PendingManualApproval, Approved, Rejected");
  }
  if (v.created_at == 0) v.created_at = now;
  RETURN_IF_ERROR(EnsureGroup(v.group, now));
  ASSIGN_OR_RETURN(v.version, NextVersion(v.group));
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO model_versions (group_name, version, approval_status, approval_comment, "
                                "approved_by, approval_changed_at, model_digest, metrics, metadata, execution_id, "
                                "step_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(insert
                      .BindAll(v.group, v.version, v.approval_status, v.approval_comment, v.approved_by,
                               v.approval_changed_at, v.model_digest, v.metrics, v.metadata, v.execution_id,
                               v.step_name, v.created_at)
                      .Run());
  Json payload = {{"group", v.group},
                  {"version", v.version},
                  {"approval_status", v.approval_status},
                  {"model_digest", v.model_digest},
                  {"execution_id", v.execution_id}};
  RETURN_IF_ERROR(events_->Append(now, kEventModelCreated, VersionRef(v.group, v.version), payload));
  return v;
}

Status ModelTable::EnsureGroup(const std::string& group, TimeMs now) {
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO model_groups (name, description, created_at) "
                                                  "VALUES (?, '', ?) ON CONFLICT (name) DO NOTHING"));
  return insert.BindAll(group, now).Run();
}

Result<int> ModelTable::NextVersion(const std::string& group) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE group_name = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(group).Step());
  if (!row) return Status::Internal("no result numbering model group '" + group + "'");
  return select.Int(0);
}

Result<ModelVersionRecord> ModelTable::SetApproval(const std::string& group, int version,
                                                   const ApprovalChange& change, TimeMs now) {
  if (!IsApprovalStatus(change.status)) {
    return Status::InvalidArgument("approval status '" + change.status +
                                   "' is not one of PendingManualApproval, Approved, Rejected");
  }
  ASSIGN_OR_RETURN(ModelVersionRecord v, Get(group, version));
  if (v.approval_status == change.status) {
    return Status::FailedPrecondition(VersionRef(group, version) + " is already " + change.status);
  }
  std::string previous = v.approval_status;
  v.approval_status = change.status;
  v.approval_comment = change.comment;
  v.approved_by = change.by;
  v.approval_changed_at = change.at != 0 ? change.at : now;
  ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE model_versions SET approval_status = ?, "
                                                  "approval_comment = ?, approved_by = ?, approval_changed_at = ? "
                                                  "WHERE group_name = ? AND version = ?"));
  RETURN_IF_ERROR(update
                      .BindAll(v.approval_status, v.approval_comment, v.approved_by, v.approval_changed_at, group,
                               version)
                      .Run());
  Json payload = {{"group", group},          {"version", version},         {"status", change.status},
                  {"previous_status", previous}, {"comment", change.comment}, {"by", change.by}};
  RETURN_IF_ERROR(events_->Append(now, kEventModelApproval, VersionRef(group, version), payload));
  return v;
}

Result<std::vector<ModelGroupRecord>> ModelTable::ListGroups() {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT g.name, g.description, "
                                "(SELECT COUNT(*) FROM model_versions v WHERE v.group_name = g.name), g.created_at "
                                "FROM model_groups g ORDER BY g.name"));
  std::vector<ModelGroupRecord> groups;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return groups;
    groups.push_back({select.Text(0), select.Text(1), select.Int(2), select.Int64(3)});
  }
}

Status ModelTable::CheckGroupExists(const std::string& group) {
  {
    ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT 1 FROM model_groups WHERE name = ?"));
    ASSIGN_OR_RETURN(bool row, select.BindAll(group).Step());
    if (row) return Status::OK();
  }
  ASSIGN_OR_RETURN(std::vector<ModelGroupRecord> groups, ListGroups());
  std::vector<std::string> names;
  for (const ModelGroupRecord& g : groups) names.push_back(g.name);
  return Status::NotFound("no model group '" + group + "' (groups: " + NameList(names) + ")");
}

Result<std::vector<ModelVersionRecord>> ModelTable::ListVersions(const std::string& group) {
  RETURN_IF_ERROR(CheckGroupExists(group));
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_MODEL_VERSION_COLUMNS "WHERE group_name = ? ORDER BY version"));
  select.BindAll(group);
  std::vector<ModelVersionRecord> versions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return versions;
    versions.push_back(VersionFromRow(select));
  }
}

Result<ModelVersionRecord> ModelTable::Get(const std::string& group, int version) {
  RETURN_IF_ERROR(CheckGroupExists(group));
  {
    ASSIGN_OR_RETURN(Statement select,
                     db_->Prepare(GROVE_MODEL_VERSION_COLUMNS "WHERE group_name = ? AND version = ?"));
    ASSIGN_OR_RETURN(bool row, select.BindAll(group, version).Step());
    if (row) return VersionFromRow(select);
  }
  ASSIGN_OR_RETURN(int next, NextVersion(group));
  return Status::NotFound("no version " + std::to_string(version) + " in model group '" + group + "' (" +
                          VersionRange(next - 1) + ")");
}

#undef GROVE_MODEL_VERSION_COLUMNS

}  // namespace grove::store
