#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `executions` table: rows only (the rules of an execution's status and
// lease are in store/execution_records.h).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class ExecutionTable {
 public:
  explicit ExecutionTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<ExecutionRecord>> Find(const std::string& id);
  // Newest first; all pipelines when `pipeline` is empty; all rows when limit <= 0.
  Result<std::vector<ExecutionRecord>> List(const std::string& pipeline, int limit);
  // In insertion order.
  Result<std::vector<ExecutionRecord>> ListWithStatus(const std::vector<std::string>& statuses);
  // Inserts or replaces the row with `execution.id`.
  Status Put(const ExecutionRecord& execution);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
