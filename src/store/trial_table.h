#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `trials` table: one row per trial of a Tuning step, keyed by
// (execution, step, number).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class TrialTable {
 public:
  explicit TrialTable(SqliteDb* db) : db_(db) {}

  // See MetadataStore::PutTrial.
  Status Put(const TrialRecord& trial);
  // See MetadataStore::ListTrials (the execution's existence is checked by the caller).
  Result<std::vector<TrialRecord>> List(const std::string& execution_id, const std::string& step_name);
  // See MetadataStore::ListTrialsByCacheKey.
  Result<std::vector<TrialRecord>> ListByCacheKey(const std::string& cache_key);

 private:
  static Result<std::vector<TrialRecord>> Collect(Statement& select);

  SqliteDb* db_;
};

}  // namespace grove::store
