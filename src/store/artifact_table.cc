#include "store/artifact_table.h"

namespace grove::store {

Status ArtifactTable::InsertMissing(const std::vector<ArtifactRecord>& artifacts, TimeMs now) {
  for (const ArtifactRecord& a : artifacts) {
    if (a.digest.empty()) return Status::InvalidArgument("an artifact record has no digest (uri '" + a.uri + "')");
    ASSIGN_OR_RETURN(Statement insert,
                     db_->Prepare("INSERT INTO artifacts (digest, uri, is_directory, size_bytes, created_at) "
                                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING"));
    RETURN_IF_ERROR(
        insert.BindAll(a.digest, a.uri, a.is_directory, a.size_bytes, a.created_at != 0 ? a.created_at : now).Run());
  }
  return Status::OK();
}

Status ArtifactTable::ReplaceLinks(const std::string& execution_id, const std::string& step_name,
                                   const std::vector<ArtifactLink>& links) {
  {
    ASSIGN_OR_RETURN(Statement erase,
                     db_->Prepare("DELETE FROM artifact_links WHERE execution_id = ? AND step_name = ?"));
    RETURN_IF_ERROR(erase.BindAll(execution_id, step_name).Run());
  }
  for (const ArtifactLink& link : links) {
    RETURN_IF_ERROR(CheckLink(execution_id, step_name, link));
    ASSIGN_OR_RETURN(Statement insert,
                     db_->Prepare("INSERT INTO artifact_links (execution_id, step_name, role, name, digest) "
                                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    RETURN_IF_ERROR(insert.BindAll(link.execution_id, link.step_name, link.role, link.name, link.digest).Run());
  }
  return Status::OK();
}

Status ArtifactTable::CheckLink(const std::string& execution_id, const std::string& step_name,
                                const ArtifactLink& link) {
  std::string where = "lineage of step run " + execution_id + "/" + step_name + ": ";
  if (link.execution_id != execution_id || link.step_name != step_name) {
    return Status::InvalidArgument(where + "a link names step run " + link.execution_id + "/" + link.step_name +
                                   "; a step run records only its own links");
  }
  if (link.role != "input" && link.role != "output") {
    return Status::InvalidArgument(where + "link '" + link.name + "' has role '" + link.role +
                                   "'; expected input or output");
  }
  ASSIGN_OR_RETURN(Statement exists, db_->Prepare("SELECT 1 FROM artifacts WHERE digest = ?"));
  ASSIGN_OR_RETURN(bool found, exists.BindAll(link.digest).Step());
  if (!found) {
    return Status::NotFound(where + "link '" + link.name + "' names artifact '" + link.digest +
                            "', which is not stored; pass its record with the step run");
  }
  return Status::OK();
}

Result<ArtifactRecord> ArtifactTable::Get(const std::string& digest) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT digest, uri, is_directory, size_bytes, created_at "
                                                  "FROM artifacts WHERE digest = ?"));
  ASSIGN_OR_RETURN(bool row, select.BindAll(digest).Step());
  if (!row) return Status::NotFound("no artifact '" + digest + "'");
  return ArtifactRecord{select.Text(0), select.Text(1), select.Bool(2), select.Int64(3), select.Int64(4)};
}

Result<std::vector<ArtifactLink>> ArtifactTable::ListLinks(const std::string& digest) {
  RETURN_IF_ERROR(Get(digest).status());
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT execution_id, step_name, role, name, digest "
                                                  "FROM artifact_links WHERE digest = ? "
                                                  "ORDER BY role DESC, rowid"));
  select.BindAll(digest);
  std::vector<ArtifactLink> links;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return links;
    links.push_back({select.Text(0), select.Text(1), select.Text(2), select.Text(3), select.Text(4)});
  }
}

}  // namespace grove::store
