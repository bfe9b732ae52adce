#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `artifacts` and `artifact_links` tables: what is stored, and lineage
// edges between step runs and artifacts.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class ArtifactTable {
 public:
  explicit ArtifactTable(SqliteDb* db) : db_(db) {}

  // Inserts the artifacts whose digest is not yet known; a known digest keeps
  // its first record (equal digests mean equal content). created_at 0 means `now`.
  Status InsertMissing(const std::vector<ArtifactRecord>& artifacts, TimeMs now);
  // Makes `links` the lineage of step run (execution_id, step_name), dropping
  // its earlier links. InvalidArgument when a link belongs to another step run
  // or has a role other than input/output; NotFound for an unknown artifact.
  Status ReplaceLinks(const std::string& execution_id, const std::string& step_name,
                      const std::vector<ArtifactLink>& links);
  // NotFound "no artifact '<digest>'".
  Result<ArtifactRecord> Get(const std::string& digest);
  // Every edge that touches `digest`: outputs (producers) first, then inputs.
  // NotFound for an unknown artifact.
  Result<std::vector<ArtifactLink>> ListLinks(const std::string& digest);

 private:
  Status CheckLink(const std::string& execution_id, const std::string& step_name, const ArtifactLink& link);

  SqliteDb* db_;
};

}  // namespace grove::store
