#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `trials` table: one row per trial of a Tuning step, keyed by
// (execution, step, number). Rows only (the checks are WriteTrial's).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class TrialTable {
 public:
  explicit TrialTable(SqlConnection* db) : db_(db) {}

  // Inserts or replaces the row of (execution_id, step_name, number).
  Status Put(const TrialRecord& trial);
  // See StoreReader::ListTrials.
  Result<std::vector<TrialRecord>> List(const std::string& execution_id, const std::string& step_name);
  // See StoreReader::ListTrialsByCacheKey.
  Result<std::vector<TrialRecord>> ListByCacheKey(const std::string& cache_key);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
