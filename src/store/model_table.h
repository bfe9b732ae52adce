#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/event_table.h"
#include "store/records.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The `model_groups` and `model_versions` tables: the model registry.
// REQUIRES: every method runs inside a transaction of `db` (changes in Write;
// Create must be in Write so that max+1 numbering cannot race).
class ModelTable {
 public:
  ModelTable(SqliteDb* db, EventTable* events) : db_(db), events_(events) {}

  // Creates the group if needed, stores `version` as number max+1 and appends
  // model.created. Empty approval status means PendingManualApproval;
  // created_at 0 means `now`.
  Result<ModelVersionRecord> Create(const ModelVersionRecord& version, TimeMs now);
  // Sets the approval status, comment, who and when (change.at, or `now`) and
  // appends model.approval. NotFound for an unknown group or version;
  // FailedPrecondition "G/1 is already Approved"; InvalidArgument for an unknown status.
  Result<ModelVersionRecord> SetApproval(const std::string& group, int version, const ApprovalChange& change,
                                         TimeMs now);
  // By name.
  Result<std::vector<ModelGroupRecord>> ListGroups();
  // Ascending by version. NotFound "no model group 'X' (groups: A, B)".
  Result<std::vector<ModelVersionRecord>> ListVersions(const std::string& group);
  // NotFound "no model group ..." or "no version 7 in model group 'X' (versions 1-3)".
  Result<ModelVersionRecord> Get(const std::string& group, int version);

 private:
  Status EnsureGroup(const std::string& group, TimeMs now);
  Result<int> NextVersion(const std::string& group);
  // OK, or NotFound naming the groups that exist.
  Status CheckGroupExists(const std::string& group);

  SqliteDb* db_;
  EventTable* events_;
};

}  // namespace grove::store
