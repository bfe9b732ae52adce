#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace grove::store {

// The metadata of everything Grove knows: pipelines, executions, step runs,
// artifacts and lineage, the model registry and the event log.
//
// Every method is one transaction: a multi-row change either happens whole or
// not at all, and each state change appends its event in the same transaction.
// Implementations are safe to use from many threads and from several processes
// sharing one store.
class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // --- Pipelines -----------------------------------------------------------
  // Stores `def` as a new version of its pipeline unless the latest version has
  // the same digest; creates the pipeline on first use. Returns the version
  // number that holds `def` (new or existing).
  virtual Result<int> PutDefinition(const DefinitionRecord& def, const std::string& description) = 0;
  virtual Result<std::vector<PipelineRecord>> ListPipelines() = 0;
  virtual Result<PipelineRecord> GetPipeline(const std::string& name) = 0;
  // `version` 0 means the latest.
  virtual Result<DefinitionRecord> GetDefinition(const std::string& pipeline, int version) = 0;

  // --- Executions ----------------------------------------------------------
  virtual Status CreateExecution(const ExecutionRecord& execution) = 0;
  // Sets status, failure reason and end time (0 keeps the stored one).
  virtual Status UpdateExecutionStatus(const std::string& id, const std::string& status,
                                       const std::string& failure_reason, TimeMs ended_at) = 0;
  // Moves an Executing execution to Stopping. FailedPrecondition if it is not executing.
  virtual Status RequestStop(const std::string& id) = 0;
  virtual Result<ExecutionRecord> GetExecution(const std::string& id) = 0;
  // Newest first. Empty `pipeline` lists all.
  virtual Result<std::vector<ExecutionRecord>> ListExecutions(const std::string& pipeline, int limit) = 0;
  // Extends the lease of the given executions, all owned by `owner`.
  virtual Status RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires) = 0;
  // Fails executions still Executing/Stopping whose lease expired before `now`, and
  // their unfinished step runs, with reason "interrupted". Returns their ids.
  virtual Result<std::vector<std::string>> FailExpiredExecutions(TimeMs now) = 0;

  // --- Step runs and artifacts --------------------------------------------
  // Inserts or replaces the step run, inserts any artifacts not yet known, and
  // records `links` as the step run's lineage (replacing earlier links of it).
  virtual Status PutStepRun(const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                            const std::vector<ArtifactLink>& links) = 0;
  virtual Result<std::vector<StepRunRecord>> ListStepRuns(const std::string& execution_id) = 0;
  virtual Result<StepRunRecord> GetStepRun(const std::string& execution_id, const std::string& step_name) = 0;
  // The newest Succeeded step run with `cache_key` that ran (was not itself a
  // cache hit) and started at or after `not_before`, if any: an entry's age
  // counts from when its outputs were produced.
  virtual Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before) = 0;
  virtual Result<ArtifactRecord> GetArtifact(const std::string& digest) = 0;
  // All lineage edges that touch `digest`: who produced it, who consumed it.
  virtual Result<std::vector<ArtifactLink>> ListArtifactLinks(const std::string& digest) = 0;

  // --- Tuning trials -------------------------------------------------------
  // Inserts or replaces the trial (execution_id, step_name, number). NotFound
  // when the execution is unknown; InvalidArgument for an unknown status.
  virtual Status PutTrial(const TrialRecord& trial) = 0;
  // The trials of one step by number; with an empty `step_name`, of every step
  // of the execution (by step, then number). NotFound for an unknown execution.
  virtual Result<std::vector<TrialRecord>> ListTrials(const std::string& execution_id,
                                                      const std::string& step_name) = 0;
  // The trials recorded by step runs whose cache key is `cache_key` (the same
  // step type, arguments and inputs), in any execution, oldest first; none for
  // an empty key. A search resumed in a new execution after a crash reuses them.
  virtual Result<std::vector<TrialRecord>> ListTrialsByCacheKey(const std::string& cache_key) = 0;

  // --- Model registry ------------------------------------------------------
  // Creates the group if needed and stores `version` as the group's next
  // version number (ignoring `version.version`). Returns the stored record.
  virtual Result<ModelVersionRecord> CreateModelVersion(const ModelVersionRecord& version) = 0;
  // NotFound for an unknown group or version; FailedPrecondition when the
  // version already has `change.status`. Nothing changes on error.
  virtual Result<ModelVersionRecord> SetApproval(const std::string& group, int version,
                                                 const ApprovalChange& change) = 0;
  virtual Result<std::vector<ModelGroupRecord>> ListModelGroups() = 0;
  // Ascending by version. NotFound for an unknown group.
  virtual Result<std::vector<ModelVersionRecord>> ListModelVersions(const std::string& group) = 0;
  virtual Result<ModelVersionRecord> GetModelVersion(const std::string& group, int version) = 0;

  // --- Endpoints ---------------------------------------------------------
  // See EndpointTable (store/endpoint_table.h) for each method's errors.
  virtual Result<EndpointRecord> CreateEndpoint(const EndpointRecord& endpoint) = 0;
  virtual Status DeleteEndpoint(const std::string& name) = 0;
  virtual Result<EndpointRecord> GetEndpoint(const std::string& name) = 0;
  virtual Result<std::vector<EndpointRecord>> ListEndpoints() = 0;
  // Pins an Approved version of a group on the endpoint.
  virtual Result<EndpointRecord> DeployModel(const std::string& endpoint, const EndpointDeployment& deployment) = 0;
  virtual Result<EndpointRecord> UndeployModel(const std::string& endpoint, const std::string& group,
                                               const std::string& by) = 0;
  // Records the promotion and switches the target's pins to its models, in
  // one transaction (creating the target like `new_target` when missing).
  virtual Result<PromotionRecord> PromoteEndpoint(const PromotionRecord& promotion,
                                                  const EndpointRecord& new_target) = 0;
  virtual Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint) = 0;

  // --- Events --------------------------------------------------------------
  // Events with seq > `after`, oldest first, at most `limit`.
  virtual Result<std::vector<EventRecord>> ListEvents(int64_t after, int limit) = 0;
};

// Opens (creating and migrating as needed) the SQLite store at `path`.
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path);

}  // namespace grove::store
