#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/event_table.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `pipelines` and `definitions` tables: each pipeline's immutable,
// numbered definition versions.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class PipelineTable {
 public:
  PipelineTable(SqliteDb* db, EventTable* events) : db_(db), events_(events) {}

  // See MetadataStore::PutDefinition. An empty `def.digest` is computed from
  // the body; a non-empty `description` replaces the pipeline's description.
  Result<int> PutDefinition(const DefinitionRecord& def, const std::string& description, TimeMs now);
  // By name.
  Result<std::vector<PipelineRecord>> List();
  // NotFound "no pipeline 'x' (pipelines: a, b)".
  Result<PipelineRecord> Get(const std::string& name);
  // `version` 0 means the latest. NotFound "no version 7 of pipeline 'x' (versions 1-3)".
  Result<DefinitionRecord> GetDefinition(const std::string& pipeline, int version);

 private:
  Status Create(const std::string& name, const std::string& description, TimeMs now);
  Result<std::string> DigestOf(const std::string& pipeline, int version);

  SqliteDb* db_;
  EventTable* events_;
};

}  // namespace grove::store
