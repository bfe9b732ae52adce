#include "store/pipeline_table.h"

#include "common/sha256.h"
#include "store/messages.h"

namespace grove::store {

namespace {

PipelineRecord PipelineFromRow(const Statement& row) {
  return {row.Text(0), row.Text(1), row.Int(2), row.Int64(3), row.Int64(4)};
}

}  // namespace

Result<int> PipelineTable::PutDefinition(const DefinitionRecord& def, const std::string& description, TimeMs now) {
  if (def.pipeline.empty()) return Status::InvalidArgument("the definition names no pipeline");
  std::string digest = def.digest.empty() ? Sha256::Of(def.body) : def.digest;
  auto existing = Get(def.pipeline);
  if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) return existing.status();
  int latest = existing.ok() ? existing->latest_version : 0;
  if (!existing.ok()) RETURN_IF_ERROR(Create(def.pipeline, description, now));
  if (!description.empty() && existing.ok() && existing->description != description) {
    ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE pipelines SET description = ? WHERE name = ?"));
    RETURN_IF_ERROR(update.BindAll(description, def.pipeline).Run());
  }
  if (latest > 0) {
    ASSIGN_OR_RETURN(std::string latest_digest, DigestOf(def.pipeline, latest));
    if (latest_digest == digest) return latest;
  }
  int version = latest + 1;
  TimeMs created_at = def.created_at != 0 ? def.created_at : now;
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO definitions (pipeline, version, digest, body, "
                                                  "source_path, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(insert.BindAll(def.pipeline, version, digest, def.body, def.source_path, created_at).Run());
  ASSIGN_OR_RETURN(Statement update,
                   db_->Prepare("UPDATE pipelines SET latest_version = ?, updated_at = ? WHERE name = ?"));
  RETURN_IF_ERROR(update.BindAll(version, created_at, def.pipeline).Run());
  Json payload = {{"pipeline", def.pipeline}, {"version", version}, {"digest", digest},
                  {"source_path", def.source_path}};
  RETURN_IF_ERROR(events_->Append(now, kEventPipelineVersion, def.pipeline, payload));
  return version;
}

Status PipelineTable::Create(const std::string& name, const std::string& description, TimeMs now) {
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO pipelines (name, description, latest_version, "
                                                  "created_at, updated_at) VALUES (?, ?, 0, ?, ?)"));
  return insert.BindAll(name, description, now, now).Run();
}

Result<std::string> PipelineTable::DigestOf(const std::string& pipeline, int version) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare("SELECT digest FROM definitions WHERE pipeline = ? AND version = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(pipeline, version).Step());
  if (!row) return Status::Internal("pipeline '" + pipeline + "' lost its version " + std::to_string(version));
  return select.Text(0);
}

Result<std::vector<PipelineRecord>> PipelineTable::List() {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT name, description, latest_version, created_at, "
                                                  "updated_at FROM pipelines ORDER BY name"));
  std::vector<PipelineRecord> pipelines;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    pipelines.push_back(PipelineFromRow(select));
  }
  return pipelines;
}

Result<PipelineRecord> PipelineTable::Get(const std::string& name) {
  {
    ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT name, description, latest_version, created_at, "
                                                    "updated_at FROM pipelines WHERE name = ?"));
    ASSIGN_OR_RETURN(bool row, select.BindAll(name).Step());
    if (row) return PipelineFromRow(select);
  }
  ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, List());
  std::vector<std::string> names;
  for (const PipelineRecord& p : all) names.push_back(p.name);
  return Status::NotFound("no pipeline '" + name + "' (pipelines: " + NameList(names) + ")");
}

Result<DefinitionRecord> PipelineTable::GetDefinition(const std::string& pipeline, int version) {
  ASSIGN_OR_RETURN(PipelineRecord p, Get(pipeline));
  int wanted = version == 0 ? p.latest_version : version;
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT pipeline, version, digest, body, source_path, created_at "
                                                  "FROM definitions WHERE pipeline = ? AND version = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(pipeline, wanted).Step());
  if (!row) {
    return Status::NotFound("no version " + std::to_string(version) + " of pipeline '" + pipeline + "' (" +
                            VersionRange(p.latest_version) + ")");
  }
  return DefinitionRecord{select.Text(0), select.Int(1), select.Text(2), select.Text(3), select.Text(4),
                          select.Int64(5)};
}

}  // namespace grove::store
