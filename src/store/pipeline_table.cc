#include "store/pipeline_table.h"

namespace grove::store {

namespace {

#define GROVE_PIPELINE_COLUMNS \
  "SELECT name, description, latest_version, created_at, updated_at, deleted_at FROM pipelines "

PipelineRecord PipelineFromRow(const Statement& row) {
  return {row.Text(0), row.Text(1), row.Int(2), row.Int64(3), row.Int64(4), row.Int64(5)};
}

DefinitionRecord DefinitionFromRow(const Statement& row) {
  return {row.Text(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Int64(5)};
}

}  // namespace

Result<std::optional<PipelineRecord>> PipelineTable::Find(const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_PIPELINE_COLUMNS "WHERE name = ?"));
  return FirstRow(select.BindAll(name), PipelineFromRow);
}

Result<std::vector<PipelineRecord>> PipelineTable::List() {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(GROVE_PIPELINE_COLUMNS "ORDER BY name"));
  return CollectRows(select, PipelineFromRow);
}

Status PipelineTable::Put(const PipelineRecord& p) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO pipelines (name, description, latest_version, created_at, updated_at, "
                                "deleted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                                "description = excluded.description, latest_version = excluded.latest_version, "
                                "created_at = excluded.created_at, updated_at = excluded.updated_at, "
                                "deleted_at = excluded.deleted_at"));
  return upsert.BindAll(p.name, p.description, p.latest_version, p.created_at, p.updated_at, p.deleted_at).Run();
}

Result<std::optional<DefinitionRecord>> PipelineTable::FindDefinition(const std::string& pipeline, int version) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT pipeline, version, digest, body, source_path, created_at "
                                                  "FROM definitions WHERE pipeline = ? AND version = ?"));
  return FirstRow(select.BindAll(pipeline, version), DefinitionFromRow);
}

Status PipelineTable::InsertDefinition(const DefinitionRecord& d) {
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO definitions (pipeline, version, digest, body, "
                                                  "source_path, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  return insert.BindAll(d.pipeline, d.version, d.digest, d.body, d.source_path, d.created_at).Run();
}

#undef GROVE_PIPELINE_COLUMNS

}  // namespace grove::store
