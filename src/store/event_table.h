#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `events` table: an append-only log numbered by `seq`, 1, 2, 3, ... with
// no gaps (each append takes one more than the highest, so a rolled-back one
// leaves none; grove doctor checks it). Writers are serialised by the
// database's write lock, so seqs become visible in commit order.
// REQUIRES: every method runs inside a transaction of `db` (Append inside
// Write, so the event commits or rolls back with the change it describes).
class EventTable {
 public:
  explicit EventTable(SqlConnection* db) : db_(db) {}

  // Returns the new event's seq.
  Result<int64_t> Append(TimeMs at, const std::string& kind, const std::string& subject, const Json& payload);
  // Events with seq > `after`, oldest first; at most `limit` (all when limit <= 0).
  Result<std::vector<EventRecord>> List(int64_t after, int limit);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
