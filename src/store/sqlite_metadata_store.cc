#include "store/sqlite_metadata_store.h"

#include "store/sqlite_migrations.h"

namespace grove::store {

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(const std::string& path,
                                                                       const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  RETURN_IF_ERROR(Migrate(*db, SchemaMigrations(), clock->Now()));
  return std::unique_ptr<SqliteMetadataStore>(new SqliteMetadataStore(std::move(db), clock));
}

SqliteMetadataStore::SqliteMetadataStore(std::unique_ptr<SqliteDb> db, const Clock* clock)
    : db_(std::move(db)),
      clock_(clock),
      events_(db_.get()),
      pipelines_(db_.get(), &events_),
      executions_(db_.get(), &events_),
      step_runs_(db_.get(), &events_),
      artifacts_(db_.get()),
      models_(db_.get(), &events_),
      endpoints_(db_.get(), &events_, &models_),
      trials_(db_.get()) {}

// --- Pipelines ---------------------------------------------------------------

Result<int> SqliteMetadataStore::PutDefinition(const DefinitionRecord& def, const std::string& description) {
  return db_->Write([&] { return pipelines_.PutDefinition(def, description, clock_->Now()); });
}

Result<std::vector<PipelineRecord>> SqliteMetadataStore::ListPipelines() {
  return db_->Read([&] { return pipelines_.List(); });
}

Result<PipelineRecord> SqliteMetadataStore::GetPipeline(const std::string& name) {
  return db_->Read([&] { return pipelines_.Get(name); });
}

Result<DefinitionRecord> SqliteMetadataStore::GetDefinition(const std::string& pipeline, int version) {
  return db_->Read([&] { return pipelines_.GetDefinition(pipeline, version); });
}

// --- Executions --------------------------------------------------------------

Status SqliteMetadataStore::CreateExecution(const ExecutionRecord& execution) {
  return db_->Write([&] { return executions_.Create(execution, clock_->Now()); });
}

Status SqliteMetadataStore::UpdateExecutionStatus(const std::string& id, const std::string& status,
                                                  const std::string& failure_reason, TimeMs ended_at) {
  return db_->Write([&] { return executions_.UpdateStatus(id, status, failure_reason, ended_at, clock_->Now()); });
}

Status SqliteMetadataStore::RequestStop(const std::string& id) {
  return db_->Write([&] { return executions_.RequestStop(id, clock_->Now()); });
}

Result<ExecutionRecord> SqliteMetadataStore::GetExecution(const std::string& id) {
  return db_->Read([&] { return executions_.Get(id); });
}

Result<std::vector<ExecutionRecord>> SqliteMetadataStore::ListExecutions(const std::string& pipeline, int limit) {
  return db_->Read([&] { return executions_.List(pipeline, limit); });
}

Status SqliteMetadataStore::RenewLeases(const std::string& owner, const std::vector<std::string>& ids,
                                        TimeMs expires) {
  return db_->Write([&] { return executions_.RenewLeases(owner, ids, expires); });
}

Result<std::vector<std::string>> SqliteMetadataStore::FailExpiredExecutions(TimeMs now) {
  return db_->Write([&]() -> Result<std::vector<std::string>> {
    ASSIGN_OR_RETURN(std::vector<std::string> ids, executions_.ExpiredIds(now));
    for (const std::string& id : ids) {
      RETURN_IF_ERROR(step_runs_.FailUnfinished(id, kInterruptedReason, now));
      RETURN_IF_ERROR(executions_.UpdateStatus(id, kFailed, kLeaseExpiredReason, now, now));
    }
    return ids;
  });
}

// --- Step runs and artifacts -------------------------------------------------

Status SqliteMetadataStore::PutStepRun(const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                                       const std::vector<ArtifactLink>& links) {
  return db_->Write([&]() -> Status {
    TimeMs now = clock_->Now();
    RETURN_IF_ERROR(artifacts_.InsertMissing(artifacts, now));
    RETURN_IF_ERROR(step_runs_.Put(run, now));
    return artifacts_.ReplaceLinks(run.execution_id, run.step_name, links);
  });
}

Result<std::vector<StepRunRecord>> SqliteMetadataStore::ListStepRuns(const std::string& execution_id) {
  return db_->Read([&]() -> Result<std::vector<StepRunRecord>> {
    RETURN_IF_ERROR(executions_.Get(execution_id).status());
    return step_runs_.List(execution_id);
  });
}

Result<StepRunRecord> SqliteMetadataStore::GetStepRun(const std::string& execution_id,
                                                      const std::string& step_name) {
  return db_->Read([&] { return step_runs_.Get(execution_id, step_name); });
}

Result<std::optional<StepRunRecord>> SqliteMetadataStore::FindCacheHit(const std::string& cache_key,
                                                                       TimeMs not_before) {
  return db_->Read([&] { return step_runs_.FindCacheHit(cache_key, not_before); });
}

// --- Tuning trials -----------------------------------------------------------

Status SqliteMetadataStore::PutTrial(const TrialRecord& trial) {
  return db_->Write([&] { return trials_.Put(trial); });
}

Result<std::vector<TrialRecord>> SqliteMetadataStore::ListTrials(const std::string& execution_id,
                                                                 const std::string& step_name) {
  return db_->Read([&]() -> Result<std::vector<TrialRecord>> {
    RETURN_IF_ERROR(executions_.Get(execution_id).status());
    return trials_.List(execution_id, step_name);
  });
}

Result<std::vector<TrialRecord>> SqliteMetadataStore::ListTrialsByCacheKey(const std::string& cache_key) {
  return db_->Read([&] { return trials_.ListByCacheKey(cache_key); });
}

Result<ArtifactRecord> SqliteMetadataStore::GetArtifact(const std::string& digest) {
  return db_->Read([&] { return artifacts_.Get(digest); });
}

Result<std::vector<ArtifactLink>> SqliteMetadataStore::ListArtifactLinks(const std::string& digest) {
  return db_->Read([&] { return artifacts_.ListLinks(digest); });
}

// --- Model registry ----------------------------------------------------------

Result<ModelVersionRecord> SqliteMetadataStore::CreateModelVersion(const ModelVersionRecord& version) {
  return db_->Write([&] { return models_.Create(version, clock_->Now()); });
}

Result<ModelVersionRecord> SqliteMetadataStore::SetApproval(const std::string& group, int version,
                                                            const ApprovalChange& change) {
  return db_->Write([&] { return models_.SetApproval(group, version, change, clock_->Now()); });
}

Result<std::vector<ModelGroupRecord>> SqliteMetadataStore::ListModelGroups() {
  return db_->Read([&] { return models_.ListGroups(); });
}

Result<std::vector<ModelVersionRecord>> SqliteMetadataStore::ListModelVersions(const std::string& group) {
  return db_->Read([&] { return models_.ListVersions(group); });
}

Result<ModelVersionRecord> SqliteMetadataStore::GetModelVersion(const std::string& group, int version) {
  return db_->Read([&] { return models_.Get(group, version); });
}

// --- Endpoints ---------------------------------------------------------------

Result<EndpointRecord> SqliteMetadataStore::CreateEndpoint(const EndpointRecord& endpoint) {
  return db_->Write([&] { return endpoints_.Create(endpoint, clock_->Now()); });
}

Status SqliteMetadataStore::DeleteEndpoint(const std::string& name) {
  return db_->Write([&] { return endpoints_.Delete(name, clock_->Now()); });
}

Result<EndpointRecord> SqliteMetadataStore::GetEndpoint(const std::string& name) {
  return db_->Read([&] { return endpoints_.Get(name); });
}

Result<std::vector<EndpointRecord>> SqliteMetadataStore::ListEndpoints() {
  return db_->Read([&] { return endpoints_.List(); });
}

Result<EndpointRecord> SqliteMetadataStore::DeployModel(const std::string& endpoint,
                                                        const EndpointDeployment& deployment) {
  return db_->Write([&] { return endpoints_.Deploy(endpoint, deployment, clock_->Now()); });
}

Result<EndpointRecord> SqliteMetadataStore::UndeployModel(const std::string& endpoint, const std::string& group,
                                                          const std::string& by) {
  return db_->Write([&] { return endpoints_.Undeploy(endpoint, group, by, clock_->Now()); });
}

Result<PromotionRecord> SqliteMetadataStore::PromoteEndpoint(const PromotionRecord& promotion,
                                                             const EndpointRecord& new_target) {
  return db_->Write([&] { return endpoints_.Promote(promotion, new_target, clock_->Now()); });
}

Result<std::vector<PromotionRecord>> SqliteMetadataStore::ListPromotions(const std::string& endpoint) {
  return db_->Read([&] { return endpoints_.ListPromotions(endpoint); });
}

// --- Events ------------------------------------------------------------------

Result<std::vector<EventRecord>> SqliteMetadataStore::ListEvents(int64_t after, int limit) {
  return db_->Read([&] { return events_.List(after, limit); });
}

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path, const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteMetadataStore> store, SqliteMetadataStore::Open(path, clock));
  return std::unique_ptr<MetadataStore>(std::move(store));
}

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path) {
  return OpenSqliteMetadataStore(path, SystemClock::Default());
}

}  // namespace grove::store
