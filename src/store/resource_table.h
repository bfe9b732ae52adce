#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `resources` table: JSON documents keyed by (kind, name). Rows only.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class ResourceTable {
 public:
  explicit ResourceTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<ResourceRecord>> Find(const std::string& kind, const std::string& name);
  // See StoreReader::ListResources.
  Result<std::vector<ResourceRecord>> List(const std::string& kind, const std::string& prefix,
                                           const std::string& after, int limit);
  Status Put(const ResourceRecord& resource);
  Result<bool> Delete(const std::string& kind, const std::string& name);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
