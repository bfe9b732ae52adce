#include "store/model_table.h"

namespace grove::store {

namespace {

#define GROVE_MODEL_GROUP_COLUMNS                                                                      \
  "SELECT g.name, g.description, " \
  "COALESCE((SELECT MAX(v.version) FROM model_versions v WHERE v.group_name = g.name), 0), " \
  "g.created_at FROM model_groups g "

#define GROVE_MODEL_VERSION_COLUMNS                                                                 \
  "SELECT group_name, version, approval_status, approval_comment, approved_by, approval_changed_at, " \
  "model_digest, metrics, metadata, execution_id, step_name, created_at FROM model_versions "
// What pages of summaries read: the columns of the model_versions_summaries
// index, so that a page is read from the index alone.
#define GROVE_MODEL_SUMMARY_COLUMNS \
  "SELECT group_name, version, approval_status, approval_changed_at, created_at FROM model_versions "

ModelGroupRecord GroupFromRow(const Statement& row) {
  return {row.Text(0), row.Text(1), row.Int(2), row.Int64(3)};
}

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

// A row of GROVE_MODEL_SUMMARY_COLUMNS.
ModelVersionRecord VersionSummaryFromRow(const Statement& row) {
  ModelVersionRecord v;
  v.group = row.Text(0);
  v.version = row.Int(1);
  v.approval_status = row.Text(2);
  v.approval_changed_at = row.Int64(3);
  v.created_at = row.Int64(4);
  return v;
}

constexpr const char* kUpsertVersion =
    "INSERT INTO model_versions (group_name, version, approval_status, approval_comment, approved_by, "
    "approval_changed_at, model_digest, metrics, metadata, execution_id, step_name, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_name, version) DO UPDATE SET "
    "approval_status = excluded.approval_status, approval_comment = excluded.approval_comment, "
    "approved_by = excluded.approved_by, approval_changed_at = excluded.approval_changed_at, "
    "model_digest = excluded.model_digest, metrics = excluded.metrics, metadata = excluded.metadata, "
    "execution_id = excluded.execution_id, step_name = excluded.step_name, created_at = excluded.created_at";

}  // namespace

Result<std::optional<ModelGroupRecord>> ModelTable::FindGroup(const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_MODEL_GROUP_COLUMNS "WHERE g.name = ?"));
  return FirstRow(select.BindAll(name), GroupFromRow);
}

Result<std::vector<ModelGroupRecord>> ModelTable::ListGroups() {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_MODEL_GROUP_COLUMNS "ORDER BY g.name"));
  return CollectRows(select, GroupFromRow);
}

Status ModelTable::PutGroup(const ModelGroupRecord& g) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO model_groups (name, description, created_at) VALUES (?, ?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
                                "created_at = excluded.created_at"));
  return upsert.BindAll(g.name, g.description, g.created_at).Run();
}

Result<bool> ModelTable::DeleteGroup(const std::string& name) {
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM model_groups WHERE name = ?"));
  RETURN_IF_ERROR(del.BindAll(name).Run());
  return del.Changes() > 0;
}

Result<int> ModelTable::NextVersion(const std::string& group) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE group_name = ?"));
  ASSIGN_OR_RETURN(std::optional<int> next,
                   FirstRow(select.BindAll(group), [](const Statement& row) { return row.Int(0); }));
  if (!next) return Status::Internal("no result numbering model group '" + group + "'");
  return *next;
}

Result<std::optional<ModelVersionRecord>> ModelTable::FindVersion(const std::string& group, int version) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_MODEL_VERSION_COLUMNS "WHERE group_name = ? AND version = ?"));
  return FirstRow(select.BindAll(group, version), VersionFromRow);
}

Result<std::vector<ModelVersionRecord>> ModelTable::ListVersions(const std::string& group) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_MODEL_VERSION_COLUMNS "WHERE group_name = ? ORDER BY version"));
  select.BindAll(group);
  return CollectRows(select, VersionFromRow);
}

Result<std::vector<ModelVersionRecord>> ModelTable::ListVersionsAfter(const std::string& group, int after, int limit,
                                                                    bool descending) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(descending ? GROVE_MODEL_SUMMARY_COLUMNS
                                    "WHERE group_name = ? AND version < ? ORDER BY version DESC LIMIT ?"
                                           : GROVE_MODEL_SUMMARY_COLUMNS
                                    "WHERE group_name = ? AND version > ? ORDER BY version LIMIT ?"));
  select.BindAll(group, descending && after <= 0 ? INT32_MAX : after, SqlLimit(limit));
  return CollectRows(select, VersionSummaryFromRow, limit > 0 ? static_cast<size_t>(limit) : 0);
}

Status ModelTable::PutVersion(const ModelVersionRecord& v) {
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsertVersion));
  return upsert
      .BindAll(v.group, v.version, v.approval_status, v.approval_comment, v.approved_by, v.approval_changed_at,
               v.model_digest, v.metrics, v.metadata, v.execution_id, v.step_name, v.created_at)
      .Run();
}

#undef GROVE_MODEL_GROUP_COLUMNS
#undef GROVE_MODEL_VERSION_COLUMNS
#undef GROVE_MODEL_SUMMARY_COLUMNS

}  // namespace grove::store
