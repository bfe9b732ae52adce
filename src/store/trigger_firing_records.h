#pragma once

// The record-keeping rules of trigger firings (events/trigger_runner.h), over
// the rows of StoreTransaction, written once for every backend. A firing is
// claimed before its action runs and completed after, each in its own
// transaction; a claim that finds its (trigger, identity) already there is
// refused, so one arrival fires once whatever process or restart sees it.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

inline constexpr const char* kFiringClaimed = "Claimed";
inline constexpr const char* kFiringStarted = "Started";
inline constexpr const char* kFiringQueued = "Queued";
inline constexpr const char* kFiringFailed = "Failed";
// Appended when a firing completes: {trigger, firing, path, status, execution_id, queued_rows, error}.
inline constexpr const char* kEventTriggerFired = "trigger.fired";

// Claims `firing` (trigger, identity, path, parameters set; id made when
// empty) as Claimed at `now`. nullopt when that (trigger, identity) has fired
// or been claimed before: the caller does nothing.
Result<std::optional<TriggerFiringRecord>> ClaimFiring(StoreTransaction& txn, TriggerFiringRecord firing, TimeMs now);

// What a firing's action did: an execution started, rows queued, or an error.
struct FiringOutcome {
  std::string status;  // kFiringStarted, kFiringQueued or kFiringFailed.
  std::string execution_id;
  int64_t queued_rows = 0;
  std::string error;
};

// Completes a Claimed firing with `outcome` and appends kEventTriggerFired.
// NotFound for an unknown firing; FailedPrecondition when it is complete already.
Result<TriggerFiringRecord> CompleteFiring(StoreTransaction& txn, const TriggerFiringRecord& claimed,
                                           const FiringOutcome& outcome, TimeMs now);

// Newest first, at most `limit` (all when <= 0); every trigger's when `trigger` is empty.
Result<std::vector<TriggerFiringRecord>> ListRecentFirings(StoreReader& rows, const std::string& trigger, int limit);
// Claimed firings whose action may or may not have run (a crash between claim and completion), oldest first.
Result<std::vector<TriggerFiringRecord>> ListIncompleteFirings(StoreReader& rows);

}  // namespace grove::store
