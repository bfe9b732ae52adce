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
Result<int> WriteDefinition(StoreTransaction& txn, const DefinitionRecord& def, const std::string& description,
                            TimeMs now);

}  // namespace grove::store
