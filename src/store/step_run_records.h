#pragma once

#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

// The rules of step runs, their artifacts and lineage, and tuning trials, over
// the rows of any backend, each inside the caller's transaction.

// Inserts the artifacts not yet known (created_at 0 means `now`), inserts or
// replaces the step run (appending step.status when it is new or its status
// changed), and replaces its lineage with `links`. NotFound for an unknown
// execution or a link to an artifact that is not stored; InvalidArgument for
// an unknown status, an artifact without digest, or a link that names another
// step run or a role other than input/output.
Status WriteStepRun(StoreTransaction& txn, const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                    const std::vector<ArtifactLink>& links, TimeMs now);
// Appends step.status for `run`'s current status.
Status AppendStepStatus(StoreTransaction& txn, const StepRunRecord& run, TimeMs now);

// Inserts or replaces the trial. NotFound when the execution is unknown;
// InvalidArgument for an unknown status.
Status WriteTrial(StoreTransaction& txn, const TrialRecord& trial);

}  // namespace grove::store
