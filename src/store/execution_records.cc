#include "store/execution_records.h"

#include <algorithm>

#include "store/lookups.h"
#include "store/step_run_records.h"

namespace grove::store {

namespace {

Status AppendStatusEvent(StoreTransaction& txn, TimeMs now, const ExecutionRecord& e) {
  Json payload = {{"status", e.status}, {"failure_reason", e.failure_reason}};
  return txn.AppendEvent(now, kEventExecutionStatus, e.id, payload).status();
}

bool IsUnfinished(const std::string& status) {
  return status == kExecuting || status == kStopping || status == kStarting;
}

// When an orphan stopped: its last heartbeat, or `now` when none is known.
TimeMs LastHeartbeat(const ExecutionRecord& e, TimeMs now) {
  return e.heartbeat_at > 0 && e.heartbeat_at <= now ? e.heartbeat_at : now;
}

// Ends an orphan: its unfinished step runs get `step_status` (reason
// "interrupted"), the execution `status` and `reason`, all at its last heartbeat.
Status EndOrphan(StoreTransaction& txn, ExecutionRecord e, const std::string& status, const std::string& reason,
                 const std::string& step_status, TimeMs now) {
  TimeMs end = LastHeartbeat(e, now);
  ASSIGN_OR_RETURN(std::vector<StepRunRecord> runs, txn.ListStepRuns(e.id));
  for (StepRunRecord& run : runs) {
    if (!IsUnfinished(run.status)) continue;
    run.status = step_status;
    run.failure_reason = kInterruptedReason;
    run.ended_at = std::max(end, run.started_at);
    RETURN_IF_ERROR(txn.PutStepRun(run));
    RETURN_IF_ERROR(AppendStepStatus(txn, run, now));
  }
  e.status = status;
  e.failure_reason = reason;
  e.ended_at = end;
  RETURN_IF_ERROR(txn.PutExecution(e));
  return AppendStatusEvent(txn, now, e);
}

bool OwnerIsGone(const ExecutionRecord& e, const OwnerLiveness& owners) {
  return !e.lease_owner.empty() && owners.IsGone(e.lease_owner);
}

}  // namespace

std::string OwnerGoneReason(const std::string& owner) {
  return "interrupted: the process running it (" + owner + ") is gone";
}

bool IsOrphaned(const ExecutionRecord& e, const OwnerLiveness& owners, TimeMs now) {
  if (e.status != kExecuting && e.status != kStopping) return false;
  bool expired = e.lease_expires > 0 && e.lease_expires < now;
  return expired || OwnerIsGone(e, owners);
}

Status WriteNewExecution(StoreTransaction& txn, const ExecutionRecord& execution, TimeMs now) {
  if (execution.id.empty()) return Status::InvalidArgument("the execution has no id");
  ExecutionRecord e = execution;
  if (e.status.empty()) e.status = kExecuting;
  if (!IsExecutionStatus(e.status)) return Status::InvalidArgument("'" + e.status + "' is not an execution status");
  ASSIGN_OR_RETURN(std::optional<ExecutionRecord> existing, txn.FindExecution(e.id));
  if (existing) return Status::AlreadyExists("execution '" + e.id + "' already exists");
  if (e.started_at == 0) e.started_at = now;
  if (e.heartbeat_at == 0) e.heartbeat_at = e.started_at;
  RETURN_IF_ERROR(txn.PutExecution(e));
  Json payload = {{"pipeline", e.pipeline}, {"version", e.version}, {"status", e.status},
                  {"parameters", e.parameters}};
  return txn.AppendEvent(now, kEventExecutionCreated, e.id, payload).status();
}

Status WriteExecutionStatus(StoreTransaction& txn, const std::string& id, const std::string& status,
                            const std::string& failure_reason, TimeMs ended_at, TimeMs now) {
  if (!IsExecutionStatus(status)) return Status::InvalidArgument("'" + status + "' is not an execution status");
  ASSIGN_OR_RETURN(ExecutionRecord e, RequireExecution(txn, id));
  bool changed = e.status != status || e.failure_reason != failure_reason;
  e.status = status;
  e.failure_reason = failure_reason;
  if (ended_at != 0) e.ended_at = ended_at;
  RETURN_IF_ERROR(txn.PutExecution(e));
  return changed ? AppendStatusEvent(txn, now, e) : Status::OK();
}

Status WriteStopRequest(StoreTransaction& txn, const std::string& id, const OwnerLiveness& owners, TimeMs now) {
  ASSIGN_OR_RETURN(ExecutionRecord e, RequireExecution(txn, id));
  if (IsOrphaned(e, owners, now)) {
    std::string owner = e.lease_owner.empty() ? "unknown" : e.lease_owner;
    return EndOrphan(txn, e, kStopped, "stopped after the process running it (" + owner + ") had ended", kStopped,
                     now);
  }
  if (e.status != kExecuting) {
    return Status::FailedPrecondition("execution '" + id + "' is " + e.status +
                                      "; only an Executing execution can be stopped");
  }
  e.status = kStopping;
  RETURN_IF_ERROR(txn.PutExecution(e));
  return AppendStatusEvent(txn, now, e);
}

Status WriteLeaseRenewal(StoreTransaction& txn, const std::string& owner, const std::vector<std::string>& ids,
                         TimeMs expires, TimeMs now) {
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(ExecutionRecord e, RequireExecution(txn, id));
    e.lease_owner = owner;
    e.lease_expires = expires;
    e.heartbeat_at = now;
    RETURN_IF_ERROR(txn.PutExecution(e));
  }
  return Status::OK();
}

Result<std::vector<std::string>> FailOrphanedExecutions(StoreTransaction& txn, const OwnerLiveness& owners,
                                                        TimeMs now) {
  ASSIGN_OR_RETURN(std::vector<ExecutionRecord> unfinished, txn.ListExecutionsWithStatus({kExecuting, kStopping}));
  std::vector<std::string> ids;
  for (const ExecutionRecord& e : unfinished) {
    if (!IsOrphaned(e, owners, now)) continue;
    std::string reason = OwnerIsGone(e, owners) ? OwnerGoneReason(e.lease_owner) : kLeaseExpiredReason;
    RETURN_IF_ERROR(EndOrphan(txn, e, kFailed, reason, kFailed, now));
    ids.push_back(e.id);
  }
  return ids;
}

Result<std::vector<ExecutionRecord>> WriteOrphanClaims(StoreTransaction& txn, const std::string& owner,
                                                       const OwnerLiveness& owners, TimeMs now, TimeMs expires,
                                                       size_t max) {
  ASSIGN_OR_RETURN(std::vector<ExecutionRecord> executing, txn.ListExecutionsWithStatus({kExecuting}));
  std::vector<ExecutionRecord> claimed;
  for (ExecutionRecord& e : executing) {
    if (claimed.size() >= max) break;
    if (!IsOrphaned(e, owners, now)) continue;
    Json payload = {{"owner", owner}, {"previous_owner", e.lease_owner}};
    e.lease_owner = owner;
    e.lease_expires = expires;
    e.heartbeat_at = now;
    RETURN_IF_ERROR(txn.PutExecution(e));
    RETURN_IF_ERROR(txn.AppendEvent(now, kEventExecutionResumed, e.id, payload).status());
    claimed.push_back(std::move(e));
  }
  return claimed;
}

}  // namespace grove::store
