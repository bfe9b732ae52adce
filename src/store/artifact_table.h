#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `artifacts` and `artifact_links` tables: what is stored, and lineage
// edges between step runs and artifacts. Rows only (the checks on links are
// WriteStepRun's, store/step_run_records.h).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class ArtifactTable {
 public:
  explicit ArtifactTable(SqlConnection* db) : db_(db) {}

  // A known digest keeps its first record (equal digests mean equal content).
  Status Insert(const ArtifactRecord& artifact);
  // Makes `links` the lineage of step run (execution_id, step_name), dropping its earlier links.
  Status ReplaceLinks(const std::string& execution_id, const std::string& step_name,
                      const std::vector<ArtifactLink>& links);
  Result<std::optional<ArtifactRecord>> Find(const std::string& digest);
  // By digest, after `after`; at most `limit` (all when <= 0).
  Result<std::vector<ArtifactRecord>> List(const std::string& after, int limit);
  // Every edge that touches `digest`: outputs (producers) first, then inputs.
  Result<std::vector<ArtifactLink>> ListLinks(const std::string& digest);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
