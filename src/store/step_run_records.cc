#include "store/step_run_records.h"

#include "store/lookups.h"

namespace grove::store {

namespace {

Status CheckLink(StoreReader& rows, const StepRunRecord& run, const ArtifactLink& link) {
  std::string where = "lineage of step run " + run.execution_id + "/" + run.step_name + ": ";
  if (link.execution_id != run.execution_id || link.step_name != run.step_name) {
    return Status::InvalidArgument(where + "a link names step run " + link.execution_id + "/" + link.step_name +
                                   "; a step run records only its own links");
  }
  if (link.role != "input" && link.role != "output") {
    return Status::InvalidArgument(where + "link '" + link.name + "' has role '" + link.role +
                                   "'; expected input or output");
  }
  ASSIGN_OR_RETURN(std::optional<ArtifactRecord> artifact, rows.FindArtifact(link.digest));
  if (!artifact) {
    return Status::NotFound(where + "link '" + link.name + "' names artifact '" + link.digest +
                            "', which is not stored; pass its record with the step run");
  }
  return Status::OK();
}

Status InsertArtifacts(StoreTransaction& txn, const std::vector<ArtifactRecord>& artifacts, TimeMs now) {
  for (ArtifactRecord a : artifacts) {
    if (a.digest.empty()) return Status::InvalidArgument("an artifact record has no digest (uri '" + a.uri + "')");
    if (a.created_at == 0) a.created_at = now;
    RETURN_IF_ERROR(txn.InsertArtifact(a));
  }
  return Status::OK();
}

}  // namespace

Status AppendStepStatus(StoreTransaction& txn, const StepRunRecord& run, TimeMs now) {
  Json payload = {{"execution_id", run.execution_id}, {"step", run.step_name}, {"status", run.status}};
  return txn.AppendEvent(now, kEventStepStatus, run.execution_id, payload).status();
}

Status WriteStepRun(StoreTransaction& txn, const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                    const std::vector<ArtifactLink>& links, TimeMs now) {
  RETURN_IF_ERROR(InsertArtifacts(txn, artifacts, now));
  if (!IsStepStatus(run.status)) {
    return Status::InvalidArgument("step '" + run.step_name + "': '" + run.status + "' is not a step status");
  }
  RETURN_IF_ERROR(RequireExecution(txn, run.execution_id).status());
  ASSIGN_OR_RETURN(std::optional<StepRunRecord> before, txn.FindStepRun(run.execution_id, run.step_name));
  RETURN_IF_ERROR(txn.PutStepRun(run));
  if (!before || before->status != run.status) RETURN_IF_ERROR(AppendStepStatus(txn, run, now));
  for (const ArtifactLink& link : links) RETURN_IF_ERROR(CheckLink(txn, run, link));
  return txn.ReplaceArtifactLinks(run.execution_id, run.step_name, links);
}

Status WriteTrial(StoreTransaction& txn, const TrialRecord& trial) {
  std::string where = "trial " + std::to_string(trial.number) + " of step '" + trial.step_name + "'";
  if (!IsTrialStatus(trial.status)) {
    return Status::InvalidArgument(where + ": '" + trial.status +
                                   "' is not a trial status (Completed, Pruned, Failed)");
  }
  Result<ExecutionRecord> execution = RequireExecution(txn, trial.execution_id);
  if (!execution.ok()) return execution.status().WithContext(where);
  return txn.PutTrial(trial);
}

}  // namespace grove::store
