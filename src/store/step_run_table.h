#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/event_table.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `step_runs` table: one row per (execution, step), updated as the step
// moves through its statuses.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class StepRunTable {
 public:
  StepRunTable(SqliteDb* db, EventTable* events) : db_(db), events_(events) {}

  // Inserts or updates the row of (run.execution_id, run.step_name); appends
  // step.status when the row is new or its status changed. NotFound when the
  // execution is unknown; InvalidArgument for an unknown status.
  Status Put(const StepRunRecord& run, TimeMs now);
  // In start order.
  Result<std::vector<StepRunRecord>> List(const std::string& execution_id);
  // NotFound "no step 'S' in execution 'abc' (steps: A, B)".
  Result<StepRunRecord> Get(const std::string& execution_id, const std::string& step_name);
  // See MetadataStore::FindCacheHit. An empty key never hits.
  Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before);
  // Moves the execution's Starting/Executing/Stopping runs to Failed with
  // `reason` and end time `now`, appending step.status for each.
  Status FailUnfinished(const std::string& execution_id, const std::string& reason, TimeMs now);

 private:
  // The stored status of the run, or nullopt when there is no row.
  Result<std::optional<std::string>> StoredStatus(const std::string& execution_id, const std::string& step_name);
  Status StatusEvent(const std::string& execution_id, const std::string& step_name, const std::string& status,
                     TimeMs now);

  SqliteDb* db_;
  EventTable* events_;
};

}  // namespace grove::store
