#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/owner_liveness.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

// The rules of an execution's record, over the rows of any backend, each
// inside the caller's transaction. Statuses: Executing -> Stopping (a stop
// request) -> Stopped | Failed | Succeeded (set by the process that owns it
// through its lease), or ended by another process when that owner is gone.
// Events: execution.created, execution.status, and step.status for the step
// runs an orphan leaves unfinished (payloads in records.h).

// The reason FailOrphanedExecutions gives an execution whose owner stopped
// renewing its lease.
inline constexpr const char* kLeaseExpiredReason = "interrupted: the process running it stopped (lease expired)";
// ... and its unfinished step runs.
inline constexpr const char* kInterruptedReason = "interrupted";
// The reason for an execution whose owner ran on this machine and is gone.
std::string OwnerGoneReason(const std::string& owner);

// Inserts `execution` (empty status means Executing, started_at 0 means
// `now`, heartbeat_at 0 means started_at) and appends execution.created.
// InvalidArgument without an id or for an unknown status; AlreadyExists for a
// known id. The definition version need not be stored (the executor's tests
// run definitions they never store).
Status WriteNewExecution(StoreTransaction& txn, const ExecutionRecord& execution, TimeMs now);
// Sets status and reason, and ended_at unless it is 0; appends
// execution.status when the status or the reason changed.
Status WriteExecutionStatus(StoreTransaction& txn, const std::string& id, const std::string& status,
                            const std::string& failure_reason, TimeMs ended_at, TimeMs now);
// Executing -> Stopping. An orphan (IsOrphaned) has no owner to finish the
// stop, so it and its unfinished step runs end Stopped at once, at its last
// heartbeat. FailedPrecondition when the execution has ended (or is already
// Stopping with a live owner).
Status WriteStopRequest(StoreTransaction& txn, const std::string& id, const OwnerLiveness& owners, TimeMs now);
// Sets the lease owner and expiry of each execution and records `now` as its
// heartbeat. NotFound for an unknown id.
Status WriteLeaseRenewal(StoreTransaction& txn, const std::string& owner, const std::vector<std::string>& ids,
                         TimeMs expires, TimeMs now);
// Fails every orphan (see IsOrphaned) and its unfinished step runs, ending them
// at the execution's last heartbeat, with kLeaseExpiredReason or
// OwnerGoneReason. Returns their ids in creation order.
Result<std::vector<std::string>> FailOrphanedExecutions(StoreTransaction& txn, const OwnerLiveness& owners,
                                                        TimeMs now);

// Takes over every Executing orphan (see IsOrphaned), up to `max`: sets
// `owner` as its lease owner until `expires`, records `now` as its heartbeat,
// and appends execution.resumed. Returns them, updated, in creation order:
// the caller runs them on (pipeline::Executor::Resume). Stopping orphans are
// left to FailOrphanedExecutions.
Result<std::vector<ExecutionRecord>> WriteOrphanClaims(StoreTransaction& txn, const std::string& owner,
                                                       const OwnerLiveness& owners, TimeMs now, TimeMs expires,
                                                       size_t max);

// True when `e` is still Executing or Stopping but nobody will finish it: its
// lease (if it has one) expired before `now`, or its owner is gone.
bool IsOrphaned(const ExecutionRecord& e, const OwnerLiveness& owners, TimeMs now);

}  // namespace grove::store
