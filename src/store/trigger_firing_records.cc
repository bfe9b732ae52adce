#include "store/trigger_firing_records.h"

#include "common/ids.h"

namespace grove::store {

Result<std::optional<TriggerFiringRecord>> ClaimFiring(StoreTransaction& txn, TriggerFiringRecord firing,
                                                       TimeMs now) {
  if (firing.trigger.empty() || firing.identity.empty()) {
    return Status::InvalidArgument("a firing needs its trigger and the identity of what arrived");
  }
  ASSIGN_OR_RETURN(std::optional<TriggerFiringRecord> earlier, txn.FindFiring(firing.trigger, firing.identity));
  if (earlier) return std::optional<TriggerFiringRecord>();
  if (firing.id.empty()) firing.id = NewExecutionId();
  firing.status = kFiringClaimed;
  firing.claimed_at = now;
  firing.completed_at = 0;
  RETURN_IF_ERROR(txn.PutFiring(firing));
  return std::optional<TriggerFiringRecord>(std::move(firing));
}

Result<TriggerFiringRecord> CompleteFiring(StoreTransaction& txn, const TriggerFiringRecord& claimed,
                                           const FiringOutcome& outcome, TimeMs now) {
  ASSIGN_OR_RETURN(std::optional<TriggerFiringRecord> stored, txn.FindFiring(claimed.trigger, claimed.identity));
  if (!stored || stored->id != claimed.id) {
    return Status::NotFound("trigger " + claimed.trigger + " has no firing " + claimed.id);
  }
  if (stored->status != kFiringClaimed) {
    return Status::FailedPrecondition("firing " + claimed.id + " of trigger " + claimed.trigger + " is already " +
                                      stored->status);
  }
  if (outcome.status != kFiringStarted && outcome.status != kFiringQueued && outcome.status != kFiringFailed) {
    return Status::InvalidArgument("firing outcome '" + outcome.status + "': expected Started, Queued or Failed");
  }
  TriggerFiringRecord done = *stored;
  done.status = outcome.status;
  done.execution_id = outcome.execution_id;
  done.queued_rows = outcome.queued_rows;
  done.error = outcome.error;
  done.completed_at = now;
  RETURN_IF_ERROR(txn.PutFiring(done));
  Json payload = {{"trigger", done.trigger}, {"firing", done.id},          {"path", done.path},
                  {"status", done.status},   {"execution_id", done.execution_id}, {"queued_rows", done.queued_rows},
                  {"error", done.error}};
  RETURN_IF_ERROR(txn.AppendEvent(now, kEventTriggerFired, done.trigger, payload).status());
  return done;
}

Result<std::vector<TriggerFiringRecord>> ListRecentFirings(StoreReader& rows, const std::string& trigger, int limit) {
  return rows.ListFirings(trigger, limit);
}

Result<std::vector<TriggerFiringRecord>> ListIncompleteFirings(StoreReader& rows) {
  return rows.ListFiringsWithStatus(kFiringClaimed);
}

}  // namespace grove::store
