#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `pipelines` and `definitions` tables: rows only (the versioning rule is
// WriteDefinition's, store/pipeline_records.h).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class PipelineTable {
 public:
  explicit PipelineTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<PipelineRecord>> Find(const std::string& name);
  // By name.
  Result<std::vector<PipelineRecord>> List();
  // Inserts or replaces the pipeline's row.
  Status Put(const PipelineRecord& pipeline);
  Result<std::optional<DefinitionRecord>> FindDefinition(const std::string& pipeline, int version);
  Status InsertDefinition(const DefinitionRecord& def);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
