#include "store/artifact_table.h"

namespace grove::store {

Status ArtifactTable::Insert(const ArtifactRecord& a) {
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO artifacts (digest, uri, is_directory, size_bytes, "
                                                  "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING"));
  return insert.BindAll(a.digest, a.uri, a.is_directory, a.size_bytes, a.created_at).Run();
}

Status ArtifactTable::ReplaceLinks(const std::string& execution_id, const std::string& step_name,
                                   const std::vector<ArtifactLink>& links) {
  {
    ASSIGN_OR_RETURN(Statement erase,
                     db_->Prepare("DELETE FROM artifact_links WHERE execution_id = ? AND step_name = ?"));
    RETURN_IF_ERROR(erase.BindAll(execution_id, step_name).Run());
  }
  for (const ArtifactLink& link : links) {
    ASSIGN_OR_RETURN(Statement insert,
                     db_->Prepare("INSERT INTO artifact_links (execution_id, step_name, role, name, digest) "
                                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    RETURN_IF_ERROR(insert.BindAll(link.execution_id, link.step_name, link.role, link.name, link.digest).Run());
  }
  return Status::OK();
}

Result<std::optional<ArtifactRecord>> ArtifactTable::Find(const std::string& digest) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT digest, uri, is_directory, size_bytes, created_at "
                                                  "FROM artifacts WHERE digest = ?"));
  return FirstRow(select.BindAll(digest), [](const Statement& row) {
    return ArtifactRecord{row.Text(0), row.Text(1), row.Bool(2), row.Int64(3), row.Int64(4)};
  });
}

Result<std::vector<ArtifactRecord>> ArtifactTable::List(const std::string& after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT digest, uri, is_directory, size_bytes, created_at "
                                                  "FROM artifacts WHERE digest > ? ORDER BY digest LIMIT ?"));
  select.BindAll(after, SqlLimit(limit));
  return CollectRows(select, [](const Statement& row) {
    return ArtifactRecord{row.Text(0), row.Text(1), row.Bool(2), row.Int64(3), row.Int64(4)};
  });
}

Result<std::vector<ArtifactLink>> ArtifactTable::ListLinks(const std::string& digest) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT execution_id, step_name, role, name, digest "
                                                  "FROM artifact_links WHERE digest = ? "
                                                  "ORDER BY role DESC, rowid"));
  select.BindAll(digest);
  return CollectRows(select, [](const Statement& row) {
    return ArtifactLink{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
  });
}

}  // namespace grove::store
