#pragma once

#include <string>
#include <vector>

#include "store/artifact_table.h"
#include "store/endpoint_table.h"
#include "store/event_table.h"
#include "store/execution_table.h"
#include "store/model_table.h"
#include "store/pipeline_table.h"
#include "store/queue_table.h"
#include "store/sql_connection.h"
#include "store/step_run_table.h"
#include "store/store_transaction.h"
#include "store/resource_table.h"
#include "store/trial_table.h"
#include "store/trigger_firing_table.h"

namespace grove::store {

// StoreTransaction on one connection of either backend (SQLite, PostgreSQL):
// each row operation is the SQL of one table class. Holds no state of its own.
// REQUIRES: used only inside a Read or Write of `db` (writes only in Write).
class SqlTransaction : public StoreTransaction {
 public:
  // `ordered`: writers take turns (MetadataStore::Transact), so events and
  // version numbers may be written; false in TransactClaims.
  explicit SqlTransaction(SqlConnection* db, bool ordered = true);

  Result<std::optional<PipelineRecord>> FindPipeline(const std::string& name) override;
  Result<std::vector<PipelineRecord>> ListPipelines() override;
  Result<std::optional<DefinitionRecord>> FindDefinition(const std::string& pipeline, int version) override;
  Result<std::optional<ExecutionRecord>> FindExecution(const std::string& id) override;
  Result<std::vector<ExecutionRecord>> ListExecutions(const std::string& pipeline, int limit) override;
  Result<std::vector<ExecutionRecord>> ListExecutionsWithStatus(const std::vector<std::string>& statuses) override;
  Result<std::optional<StepRunRecord>> FindStepRun(const std::string& execution_id,
                                                   const std::string& step_name) override;
  Result<std::vector<StepRunRecord>> ListStepRuns(const std::string& execution_id) override;
  Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before) override;
  Result<std::optional<ArtifactRecord>> FindArtifact(const std::string& digest) override;
  Result<std::vector<ArtifactLink>> ListArtifactLinks(const std::string& digest) override;
  Result<std::vector<ArtifactRecord>> ListArtifacts(const std::string& after, int limit) override;
  Result<std::vector<TrialRecord>> ListTrials(const std::string& execution_id, const std::string& step_name) override;
  Result<std::vector<TrialRecord>> ListTrialsByCacheKey(const std::string& cache_key) override;
  Result<std::optional<ModelGroupRecord>> FindModelGroup(const std::string& name) override;
  Result<std::vector<ModelGroupRecord>> ListModelGroups() override;
  Result<std::optional<ModelVersionRecord>> FindModelVersion(const std::string& group, int version) override;
  Result<std::vector<ModelVersionRecord>> ListModelVersions(const std::string& group) override;
  Result<std::vector<ModelVersionRecord>> ListModelVersionsAfter(const std::string& group, int after, int limit,
                                                                 bool descending) override;
  Result<std::optional<EndpointRecord>> FindEndpoint(const std::string& name) override;
  Result<std::vector<EndpointRecord>> ListEndpoints() override;
  Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint) override;
  Result<std::optional<ResourceRecord>> FindResource(const std::string& kind, const std::string& name) override;
  Result<std::vector<ResourceRecord>> ListResources(const std::string& kind, const std::string& prefix,
                                                    const std::string& after, int limit) override;
  Result<std::optional<TriggerFiringRecord>> FindFiring(const std::string& trigger,
                                                        const std::string& identity) override;
  Result<std::vector<TriggerFiringRecord>> ListFirings(const std::string& trigger, int limit) override;
  Result<std::vector<TriggerFiringRecord>> ListFiringsWithStatus(const std::string& status) override;
  Result<std::vector<EventRecord>> ListEvents(int64_t after, int limit) override;
  Result<std::optional<QueueFileRecord>> FindQueueFile(const std::string& key) override;
  Result<std::vector<QueueFileRecord>> ListQueueFiles(const std::string& state) override;
  Result<std::optional<QueueMessageRecord>> FindQueueMessage(int64_t id) override;
  Result<std::vector<QueueMessageRecord>> ListQueueMessages(const std::string& state, int64_t after,
                                                            int limit) override;
  Result<std::vector<QueueMessageRecord>> ListVisibleQueueMessages(TimeMs now, int limit) override;
  Result<std::map<std::string, int64_t>> CountQueueMessages(const std::string& file_key) override;
  Result<std::vector<PredictionRecord>> ListPredictions(const std::string& dimension, int64_t after,
                                                        int limit) override;
  Result<std::optional<PredictionRecord>> FindPredictionOfMessage(int64_t message_id) override;

  Status PutPipeline(const PipelineRecord& pipeline) override;
  Status InsertDefinition(const DefinitionRecord& definition) override;
  Status PutExecution(const ExecutionRecord& execution) override;
  Status PutStepRun(const StepRunRecord& run) override;
  Status InsertArtifact(const ArtifactRecord& artifact) override;
  Status ReplaceArtifactLinks(const std::string& execution_id, const std::string& step_name,
                              const std::vector<ArtifactLink>& links) override;
  Status PutTrial(const TrialRecord& trial) override;
  Status PutResource(const ResourceRecord& resource) override;
  Result<bool> DeleteResource(const std::string& kind, const std::string& name) override;
  Status PutModelGroup(const ModelGroupRecord& group) override;
  Result<bool> DeleteModelGroup(const std::string& name) override;
  Result<int> NextModelVersion(const std::string& group) override;
  Status PutModelVersion(const ModelVersionRecord& version) override;
  Status PutEndpoint(const EndpointRecord& endpoint) override;
  Status DeleteEndpoint(const std::string& name) override;
  Status PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment) override;
  Result<bool> DeleteDeployment(const std::string& endpoint, const std::string& group) override;
  Result<int64_t> InsertPromotion(const PromotionRecord& promotion) override;
  Status PutFiring(const TriggerFiringRecord& firing) override;
  Status DeleteFirings(const std::string& trigger) override;
  Result<int64_t> AppendEvent(TimeMs at, const std::string& kind, const std::string& subject,
                              const Json& payload) override;
  Status InsertQueueFile(const QueueFileRecord& file) override;
  Status UpdateQueueFileState(const std::string& key, const std::string& state, TimeMs updated_at) override;
  Result<int64_t> InsertQueueMessage(const QueueMessageRecord& message) override;
  Status UpdateQueueMessage(const QueueMessageRecord& message) override;
  Result<bool> InsertPrediction(const PredictionRecord& prediction) override;

  // How many events this transaction appended.
  int appended_events() const { return appended_events_; }

 private:
  const bool ordered_;
  int appended_events_ = 0;
  PipelineTable pipelines_;
  ExecutionTable executions_;
  StepRunTable step_runs_;
  ArtifactTable artifacts_;
  TrialTable trials_;
  ResourceTable resources_;
  ModelTable models_;
  EndpointTable endpoints_;
  EventTable events_;
  TriggerFiringTable firings_;
  QueueTable queue_;
};

}  // namespace grove::store
