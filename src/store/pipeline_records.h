#pragma once

#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

// Stores `def` as a new version of its pipeline (latest + 1) unless the latest
// version has the same digest (SHA-256 of the body when `def.digest` is empty);
// creates the pipeline on first use, replaces its description when one is
// given, and appends pipeline.version for a new version. Returns the version
// that holds `def`. InvalidArgument when `def` names no pipeline.
// A deleted pipeline comes back with `now` as its creation time.
Result<int> WriteDefinition(StoreTransaction& txn, const DefinitionRecord& def, const std::string& description,
                            TimeMs now);

// Deletes pipeline `name` (PipelineRecord::deleted_at) and appends
// pipeline.deleted; its definitions and executions stay. NotFound for an
// unknown (or deleted) pipeline; FailedPrecondition while one of its
// executions is Executing or Stopping (stop them first, as SageMaker asks).
Status WritePipelineDeletion(StoreTransaction& txn, const std::string& name, TimeMs now);

}  // namespace grove::store
