#include "store/metadata_store.h"

#include "store/execution_records.h"
#include "store/lookups.h"
#include "store/pipeline_records.h"
#include "store/step_run_records.h"

namespace grove::store {

MetadataStore::MetadataStore(const MetadataStoreOptions& options)
    : clock_(options.clock != nullptr ? options.clock : SystemClock::Default()),
      owners_(options.owners != nullptr ? options.owners : LocalOwnerLiveness()) {}

// --- Pipelines ---------------------------------------------------------------

Result<int> MetadataStore::PutDefinition(const DefinitionRecord& def, const std::string& description) {
  return TransactValue(*this, [&](StoreTransaction& txn) {
    return WriteDefinition(txn, def, description, clock_->Now());
  });
}

Result<std::vector<PipelineRecord>> MetadataStore::ListPipelines() {
  return ReadValue(*this, [&](StoreReader& rows) { return ListLivePipelines(rows); });
}

Status MetadataStore::DeletePipeline(const std::string& name) {
  return Transact([&](StoreTransaction& txn) { return WritePipelineDeletion(txn, name, clock_->Now()); });
}

Result<PipelineRecord> MetadataStore::GetPipeline(const std::string& name) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequirePipeline(rows, name); });
}

Result<DefinitionRecord> MetadataStore::GetDefinition(const std::string& pipeline, int version) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireDefinition(rows, pipeline, version); });
}

// --- Executions --------------------------------------------------------------

Status MetadataStore::CreateExecution(const ExecutionRecord& execution) {
  return Transact([&](StoreTransaction& txn) { return WriteNewExecution(txn, execution, clock_->Now()); });
}

Status MetadataStore::UpdateExecutionStatus(const std::string& id, const std::string& status,
                                            const std::string& failure_reason, TimeMs ended_at) {
  return Transact([&](StoreTransaction& txn) {
    return WriteExecutionStatus(txn, id, status, failure_reason, ended_at, clock_->Now());
  });
}

Status MetadataStore::RequestStop(const std::string& id) {
  return Transact([&](StoreTransaction& txn) { return WriteStopRequest(txn, id, *owners_, clock_->Now()); });
}

Result<ExecutionRecord> MetadataStore::GetExecution(const std::string& id) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireExecution(rows, id); });
}

Result<std::vector<ExecutionRecord>> MetadataStore::ListExecutions(const std::string& pipeline, int limit) {
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListExecutions(pipeline, limit); });
}

Status MetadataStore::RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires) {
  return Transact([&](StoreTransaction& txn) {
    return WriteLeaseRenewal(txn, owner, ids, expires, clock_->Now());
  });
}

Result<std::vector<ExecutionRecord>> MetadataStore::ClaimOrphanedExecutions(const std::string& owner, TimeMs expires,
                                                                           size_t max) {
  // Servers ask every second: look on a snapshot first, so that the usual answer, none, takes no writer's turn.
  ASSIGN_OR_RETURN(bool any, ReadValue(*this, [&](StoreReader& rows) -> Result<bool> {
    ASSIGN_OR_RETURN(std::vector<ExecutionRecord> executing, rows.ListExecutionsWithStatus({kExecuting}));
    const TimeMs now = clock_->Now();
    for (const ExecutionRecord& e : executing) {
      if (IsOrphaned(e, *owners_, now)) return true;
    }
    return false;
  }));
  if (!any) return std::vector<ExecutionRecord>{};
  return TransactValue(*this, [&](StoreTransaction& txn) {
    return WriteOrphanClaims(txn, owner, *owners_, clock_->Now(), expires, max);
  });
}

Result<std::vector<std::string>> MetadataStore::FailExpiredExecutions(TimeMs now) {
  return TransactValue(*this, [&](StoreTransaction& txn) { return FailOrphanedExecutions(txn, *owners_, now); });
}

// --- Step runs and artifacts -------------------------------------------------

Status MetadataStore::PutStepRun(const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                                 const std::vector<ArtifactLink>& links) {
  return Transact([&](StoreTransaction& txn) { return WriteStepRun(txn, run, artifacts, links, clock_->Now()); });
}

Result<std::vector<StepRunRecord>> MetadataStore::ListStepRuns(const std::string& execution_id) {
  return ReadValue(*this, [&](StoreReader& rows) -> Result<std::vector<StepRunRecord>> {
    RETURN_IF_ERROR(RequireExecution(rows, execution_id).status());
    return rows.ListStepRuns(execution_id);
  });
}

Result<StepRunRecord> MetadataStore::GetStepRun(const std::string& execution_id, const std::string& step_name) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireStepRun(rows, execution_id, step_name); });
}

Result<std::optional<StepRunRecord>> MetadataStore::FindCacheHit(const std::string& cache_key, TimeMs not_before) {
  if (cache_key.empty()) return std::optional<StepRunRecord>();
  return ReadValue(*this, [&](StoreReader& rows) { return rows.FindCacheHit(cache_key, not_before); });
}

Result<ArtifactRecord> MetadataStore::GetArtifact(const std::string& digest) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireArtifact(rows, digest); });
}

Result<std::vector<ArtifactLink>> MetadataStore::ListArtifactLinks(const std::string& digest) {
  return ReadValue(*this, [&](StoreReader& rows) -> Result<std::vector<ArtifactLink>> {
    RETURN_IF_ERROR(RequireArtifact(rows, digest).status());
    return rows.ListArtifactLinks(digest);
  });
}

// --- Tuning trials -----------------------------------------------------------

Status MetadataStore::PutTrial(const TrialRecord& trial) {
  return Transact([&](StoreTransaction& txn) { return WriteTrial(txn, trial); });
}

Result<std::vector<TrialRecord>> MetadataStore::ListTrials(const std::string& execution_id,
                                                           const std::string& step_name) {
  return ReadValue(*this, [&](StoreReader& rows) -> Result<std::vector<TrialRecord>> {
    RETURN_IF_ERROR(RequireExecution(rows, execution_id).status());
    return rows.ListTrials(execution_id, step_name);
  });
}

Result<std::vector<TrialRecord>> MetadataStore::ListTrialsByCacheKey(const std::string& cache_key) {
  if (cache_key.empty()) return std::vector<TrialRecord>();
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListTrialsByCacheKey(cache_key); });
}

// --- Model registry ----------------------------------------------------------

Result<std::vector<ModelGroupRecord>> MetadataStore::ListModelGroups() {
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListModelGroups(); });
}

Result<std::vector<ModelVersionRecord>> MetadataStore::ListModelVersions(const std::string& group) {
  return ReadValue(*this, [&](StoreReader& rows) -> Result<std::vector<ModelVersionRecord>> {
    RETURN_IF_ERROR(RequireModelGroup(rows, group).status());
    return rows.ListModelVersions(group);
  });
}

Result<ModelVersionRecord> MetadataStore::GetModelVersion(const std::string& group, int version) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireModelVersion(rows, group, version); });
}

// --- Endpoints ---------------------------------------------------------------

Result<EndpointRecord> MetadataStore::GetEndpoint(const std::string& name) {
  return ReadValue(*this, [&](StoreReader& rows) { return RequireEndpoint(rows, name); });
}

Result<std::vector<EndpointRecord>> MetadataStore::ListEndpoints() {
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListEndpoints(); });
}

Result<std::vector<PromotionRecord>> MetadataStore::ListPromotions(const std::string& endpoint) {
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListPromotions(endpoint); });
}

// --- Events ------------------------------------------------------------------

Result<std::vector<EventRecord>> MetadataStore::ListEvents(int64_t after, int limit) {
  return ReadValue(*this, [&](StoreReader& rows) { return rows.ListEvents(after, limit); });
}

// --- Event subscriptions -------------------------------------------------------

uint64_t MetadataStore::SubscribeEvents(std::function<void()> wake) {
  bool first = false;
  uint64_t id = 0;
  {
    std::lock_guard<std::recursive_mutex> lock(subscribers_mu_);
    first = subscribers_.empty();
    id = next_subscriber_++;
    subscribers_[id] = std::move(wake);
  }
  if (first) OnFirstSubscriber();
  return id;
}

void MetadataStore::UnsubscribeEvents(uint64_t id) {
  std::lock_guard<std::recursive_mutex> lock(subscribers_mu_);
  subscribers_.erase(id);
}

void MetadataStore::NotifyEventSubscribers() {
  std::lock_guard<std::recursive_mutex> lock(subscribers_mu_);
  for (const auto& [id, wake] : subscribers_) wake();
}

}  // namespace grove::store
