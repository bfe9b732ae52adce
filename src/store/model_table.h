#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace grove::store {

// The `model_groups` and `model_versions` tables: rows only (the registry's
// rules are registry::Registry's).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write;
// NextVersion too, so that max+1 numbering cannot race: the write lock is held
// until the version is inserted and committed).
class ModelTable {
 public:
  explicit ModelTable(SqlConnection* db) : db_(db) {}

  Result<std::optional<ModelGroupRecord>> FindGroup(const std::string& name);
  // By name.
  Result<std::vector<ModelGroupRecord>> ListGroups();
  // Inserts or replaces the group's row.
  Status PutGroup(const ModelGroupRecord& group);
  // Whether there was a row to delete.
  Result<bool> DeleteGroup(const std::string& name);
  // One more than the group's highest version (1 for none).
  Result<int> NextVersion(const std::string& group);
  Result<std::optional<ModelVersionRecord>> FindVersion(const std::string& group, int version);
  // Ascending by version.
  Result<std::vector<ModelVersionRecord>> ListVersions(const std::string& group);
  // See StoreReader::ListModelVersionsAfter.
  Result<std::vector<ModelVersionRecord>> ListVersionsAfter(const std::string& group, int after, int limit,
                                                           bool descending);
  // Inserts or replaces the row of (group, version).
  Status PutVersion(const ModelVersionRecord& version);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
