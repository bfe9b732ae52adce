#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `trigger_firings` table: one row per firing, keyed by id, unique per
// (trigger, identity). Rows only (the rules are trigger_firing_records.h's).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class TriggerFiringTable {
 public:
  explicit TriggerFiringTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<TriggerFiringRecord>> Find(const std::string& trigger, const std::string& identity);
  // See StoreReader::ListFirings and ListFiringsWithStatus.
  Result<std::vector<TriggerFiringRecord>> List(const std::string& trigger, int limit);
  Result<std::vector<TriggerFiringRecord>> ListWithStatus(const std::string& status);
  Status Put(const TriggerFiringRecord& firing);
  Status DeleteOf(const std::string& trigger);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
