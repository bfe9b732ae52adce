#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/artifact_table.h"
#include "store/endpoint_table.h"
#include "store/event_table.h"
#include "store/execution_table.h"
#include "store/metadata_store.h"
#include "store/model_table.h"
#include "store/pipeline_table.h"
#include "store/sqlite_db.h"
#include "store/step_run_table.h"
#include "store/trial_table.h"

namespace grove::store {

// MetadataStore on one SQLite file (see SqliteDb for the connection's
// settings). Each method is one transaction: writes in BEGIN IMMEDIATE ...
// COMMIT, reads in one snapshot; the per-table classes do the SQL.
class SqliteMetadataStore : public MetadataStore {
 public:
  // Opens and migrates the store at `path`. `clock` (not owned) stamps
  // events and rows whose records leave their time at 0.
  static Result<std::unique_ptr<SqliteMetadataStore>> Open(const std::string& path, const Clock* clock);

  Result<int> PutDefinition(const DefinitionRecord& def, const std::string& description) override;
  Result<std::vector<PipelineRecord>> ListPipelines() override;
  Result<PipelineRecord> GetPipeline(const std::string& name) override;
  Result<DefinitionRecord> GetDefinition(const std::string& pipeline, int version) override;

  Status CreateExecution(const ExecutionRecord& execution) override;
  Status UpdateExecutionStatus(const std::string& id, const std::string& status, const std::string& failure_reason,
                               TimeMs ended_at) override;
  Status RequestStop(const std::string& id) override;
  Result<ExecutionRecord> GetExecution(const std::string& id) override;
  Result<std::vector<ExecutionRecord>> ListExecutions(const std::string& pipeline, int limit) override;
  Status RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires) override;
  Result<std::vector<std::string>> FailExpiredExecutions(TimeMs now) override;

  Status PutStepRun(const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                    const std::vector<ArtifactLink>& links) override;
  Result<std::vector<StepRunRecord>> ListStepRuns(const std::string& execution_id) override;
  Result<StepRunRecord> GetStepRun(const std::string& execution_id, const std::string& step_name) override;
  Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before) override;
  Result<ArtifactRecord> GetArtifact(const std::string& digest) override;
  Result<std::vector<ArtifactLink>> ListArtifactLinks(const std::string& digest) override;

  Status PutTrial(const TrialRecord& trial) override;
  Result<std::vector<TrialRecord>> ListTrials(const std::string& execution_id, const std::string& step_name) override;
  Result<std::vector<TrialRecord>> ListTrialsByCacheKey(const std::string& cache_key) override;

  Result<ModelVersionRecord> CreateModelVersion(const ModelVersionRecord& version) override;
  Result<ModelVersionRecord> SetApproval(const std::string& group, int version, const ApprovalChange& change) override;
  Result<std::vector<ModelGroupRecord>> ListModelGroups() override;
  Result<std::vector<ModelVersionRecord>> ListModelVersions(const std::string& group) override;
  Result<ModelVersionRecord> GetModelVersion(const std::string& group, int version) override;

  Result<EndpointRecord> CreateEndpoint(const EndpointRecord& endpoint) override;
  Status DeleteEndpoint(const std::string& name) override;
  Result<EndpointRecord> GetEndpoint(const std::string& name) override;
  Result<std::vector<EndpointRecord>> ListEndpoints() override;
  Result<EndpointRecord> DeployModel(const std::string& endpoint, const EndpointDeployment& deployment) override;
  Result<EndpointRecord> UndeployModel(const std::string& endpoint, const std::string& group,
                                       const std::string& by) override;
  Result<PromotionRecord> PromoteEndpoint(const PromotionRecord& promotion, const EndpointRecord& new_target) override;
  Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint) override;

  Result<std::vector<EventRecord>> ListEvents(int64_t after, int limit) override;

 private:
  SqliteMetadataStore(std::unique_ptr<SqliteDb> db, const Clock* clock);

  std::unique_ptr<SqliteDb> db_;
  const Clock* clock_;
  EventTable events_;
  PipelineTable pipelines_;
  ExecutionTable executions_;
  StepRunTable step_runs_;
  ArtifactTable artifacts_;
  ModelTable models_;
  EndpointTable endpoints_;
  TrialTable trials_;
};

// OpenSqliteMetadataStore with a chosen clock (tests use a FakeClock).
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path, const Clock* clock);

// The reason FailExpiredExecutions gives an execution whose owner stopped renewing its lease.
inline constexpr const char* kLeaseExpiredReason = "interrupted: the process running it stopped (lease expired)";
// ... and its unfinished step runs.
inline constexpr const char* kInterruptedReason = "interrupted";

}  // namespace grove::store
