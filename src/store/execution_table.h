#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/event_table.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `executions` table: runs of definition versions, their status and the
// lease of the process running them.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class ExecutionTable {
 public:
  ExecutionTable(SqliteDb* db, EventTable* events) : db_(db), events_(events) {}

  // Inserts `execution` (empty status means Executing, started_at 0 means
  // `now`) and appends execution.created. AlreadyExists for a known id.
  // The definition version is not required to be stored (the executor's
  // tests run definitions they never store).
  Status Create(const ExecutionRecord& execution, TimeMs now);
  // Sets status and reason, and ended_at unless it is 0; appends
  // execution.status when the status or the reason changed.
  Status UpdateStatus(const std::string& id, const std::string& status, const std::string& failure_reason,
                      TimeMs ended_at, TimeMs now);
  // Executing -> Stopping; FailedPrecondition from any other status.
  Status RequestStop(const std::string& id, TimeMs now);
  // NotFound "no execution 'id'".
  Result<ExecutionRecord> Get(const std::string& id);
  // Newest first; all pipelines when `pipeline` is empty; all rows when limit <= 0.
  Result<std::vector<ExecutionRecord>> List(const std::string& pipeline, int limit);
  // Sets lease owner and expiry of each execution. NotFound for an unknown id.
  Status RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires);
  // Executions Executing or Stopping whose lease is set and ended before `now`.
  Result<std::vector<std::string>> ExpiredIds(TimeMs now);

 private:
  SqliteDb* db_;
  EventTable* events_;
};

}  // namespace grove::store
