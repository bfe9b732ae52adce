#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `step_runs` table: one row per (execution, step), rows only (the rules
// are in store/step_run_records.h).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class StepRunTable {
 public:
  explicit StepRunTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<StepRunRecord>> Find(const std::string& execution_id, const std::string& step_name);
  // In start order.
  Result<std::vector<StepRunRecord>> List(const std::string& execution_id);
  // See StoreReader::FindCacheHit.
  Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before);
  // Inserts or replaces the row of (run.execution_id, run.step_name).
  Status Put(const StepRunRecord& run);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
