#include "store/sqlite_transaction.h"

namespace grove::store {

SqliteTransaction::SqliteTransaction(SqliteDb* db)
    : pipelines_(db),
      executions_(db),
      step_runs_(db),
      artifacts_(db),
      trials_(db),
      resources_(db),
      models_(db),
      endpoints_(db),
      events_(db),
      firings_(db),
      queue_(db) {}

// --- Reads -------------------------------------------------------------------

Result<std::optional<PipelineRecord>> SqliteTransaction::FindPipeline(const std::string& name) {
  return pipelines_.Find(name);
}

Result<std::vector<PipelineRecord>> SqliteTransaction::ListPipelines() { return pipelines_.List(); }

Result<std::optional<DefinitionRecord>> SqliteTransaction::FindDefinition(const std::string& pipeline, int version) {
  return pipelines_.FindDefinition(pipeline, version);
}

Result<std::optional<ExecutionRecord>> SqliteTransaction::FindExecution(const std::string& id) {
  return executions_.Find(id);
}

Result<std::vector<ExecutionRecord>> SqliteTransaction::ListExecutions(const std::string& pipeline, int limit) {
  return executions_.List(pipeline, limit);
}

Result<std::vector<ExecutionRecord>> SqliteTransaction::ListExecutionsWithStatus(
    const std::vector<std::string>& statuses) {
  return executions_.ListWithStatus(statuses);
}

Result<std::optional<StepRunRecord>> SqliteTransaction::FindStepRun(const std::string& execution_id,
                                                                    const std::string& step_name) {
  return step_runs_.Find(execution_id, step_name);
}

Result<std::vector<StepRunRecord>> SqliteTransaction::ListStepRuns(const std::string& execution_id) {
  return step_runs_.List(execution_id);
}

Result<std::optional<StepRunRecord>> SqliteTransaction::FindCacheHit(const std::string& cache_key,
                                                                     TimeMs not_before) {
  return step_runs_.FindCacheHit(cache_key, not_before);
}

Result<std::optional<ArtifactRecord>> SqliteTransaction::FindArtifact(const std::string& digest) {
  return artifacts_.Find(digest);
}

Result<std::vector<ArtifactLink>> SqliteTransaction::ListArtifactLinks(const std::string& digest) {
  return artifacts_.ListLinks(digest);
}

Result<std::vector<TrialRecord>> SqliteTransaction::ListTrials(const std::string& execution_id,
                                                               const std::string& step_name) {
  return trials_.List(execution_id, step_name);
}

Result<std::vector<TrialRecord>> SqliteTransaction::ListTrialsByCacheKey(const std::string& cache_key) {
  return trials_.ListByCacheKey(cache_key);
}

Result<std::optional<ModelGroupRecord>> SqliteTransaction::FindModelGroup(const std::string& name) {
  return models_.FindGroup(name);
}

Result<std::vector<ModelGroupRecord>> SqliteTransaction::ListModelGroups() { return models_.ListGroups(); }

Result<std::optional<ModelVersionRecord>> SqliteTransaction::FindModelVersion(const std::string& group,
                                                                              int version) {
  return models_.FindVersion(group, version);
}

Result<std::vector<ModelVersionRecord>> SqliteTransaction::ListModelVersions(const std::string& group) {
  return models_.ListVersions(group);
}

Result<std::vector<ModelVersionRecord>> SqliteTransaction::ListModelVersionsAfter(const std::string& group, int after,
                                                                                  int limit, bool descending) {
  return models_.ListVersionsAfter(group, after, limit, descending);
}

Result<std::optional<EndpointRecord>> SqliteTransaction::FindEndpoint(const std::string& name) {
  return endpoints_.Find(name);
}

Result<std::vector<EndpointRecord>> SqliteTransaction::ListEndpoints() { return endpoints_.List(); }

Result<std::vector<PromotionRecord>> SqliteTransaction::ListPromotions(const std::string& endpoint) {
  return endpoints_.ListPromotions(endpoint);
}

Result<std::vector<EventRecord>> SqliteTransaction::ListEvents(int64_t after, int limit) {
  return events_.List(after, limit);
}

// --- Writes ------------------------------------------------------------------

Status SqliteTransaction::PutPipeline(const PipelineRecord& pipeline) { return pipelines_.Put(pipeline); }

Status SqliteTransaction::InsertDefinition(const DefinitionRecord& definition) {
  return pipelines_.InsertDefinition(definition);
}

Status SqliteTransaction::PutExecution(const ExecutionRecord& execution) { return executions_.Put(execution); }

Status SqliteTransaction::PutStepRun(const StepRunRecord& run) { return step_runs_.Put(run); }

Status SqliteTransaction::InsertArtifact(const ArtifactRecord& artifact) { return artifacts_.Insert(artifact); }

Status SqliteTransaction::ReplaceArtifactLinks(const std::string& execution_id, const std::string& step_name,
                                               const std::vector<ArtifactLink>& links) {
  return artifacts_.ReplaceLinks(execution_id, step_name, links);
}

Status SqliteTransaction::PutTrial(const TrialRecord& trial) { return trials_.Put(trial); }

Result<std::optional<TriggerFiringRecord>> SqliteTransaction::FindFiring(const std::string& trigger,
                                                                         const std::string& identity) {
  return firings_.Find(trigger, identity);
}
Result<std::vector<TriggerFiringRecord>> SqliteTransaction::ListFirings(const std::string& trigger, int limit) {
  return firings_.List(trigger, limit);
}
Result<std::vector<TriggerFiringRecord>> SqliteTransaction::ListFiringsWithStatus(const std::string& status) {
  return firings_.ListWithStatus(status);
}
Status SqliteTransaction::PutFiring(const TriggerFiringRecord& firing) { return firings_.Put(firing); }
Status SqliteTransaction::DeleteFirings(const std::string& trigger) { return firings_.DeleteOf(trigger); }

Result<std::optional<ResourceRecord>> SqliteTransaction::FindResource(const std::string& kind,
                                                                     const std::string& name) {
  return resources_.Find(kind, name);
}

Result<std::vector<ResourceRecord>> SqliteTransaction::ListResources(const std::string& kind,
                                                                     const std::string& prefix,
                                                                     const std::string& after, int limit) {
  return resources_.List(kind, prefix, after, limit);
}

Status SqliteTransaction::PutResource(const ResourceRecord& resource) { return resources_.Put(resource); }

Result<bool> SqliteTransaction::DeleteResource(const std::string& kind, const std::string& name) {
  return resources_.Delete(kind, name);
}

Status SqliteTransaction::PutModelGroup(const ModelGroupRecord& group) { return models_.PutGroup(group); }
Result<bool> SqliteTransaction::DeleteModelGroup(const std::string& name) { return models_.DeleteGroup(name); }

Result<int> SqliteTransaction::NextModelVersion(const std::string& group) { return models_.NextVersion(group); }

Status SqliteTransaction::PutModelVersion(const ModelVersionRecord& version) { return models_.PutVersion(version); }

Status SqliteTransaction::PutEndpoint(const EndpointRecord& endpoint) { return endpoints_.Put(endpoint); }

Status SqliteTransaction::DeleteEndpoint(const std::string& name) { return endpoints_.Delete(name); }

Status SqliteTransaction::PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment) {
  return endpoints_.PutDeployment(endpoint, deployment);
}

Result<bool> SqliteTransaction::DeleteDeployment(const std::string& endpoint, const std::string& group) {
  return endpoints_.DeleteDeployment(endpoint, group);
}

Result<int64_t> SqliteTransaction::InsertPromotion(const PromotionRecord& promotion) {
  return endpoints_.InsertPromotion(promotion);
}

Result<int64_t> SqliteTransaction::AppendEvent(TimeMs at, const std::string& kind, const std::string& subject,
                                               const Json& payload) {
  return events_.Append(at, kind, subject, payload);
}

// --- Inference queue ---------------------------------------------------------

Result<std::optional<QueueFileRecord>> SqliteTransaction::FindQueueFile(const std::string& key) {
  return queue_.FindFile(key);
}

Result<std::vector<QueueFileRecord>> SqliteTransaction::ListQueueFiles(const std::string& state) {
  return queue_.ListFiles(state);
}

Result<std::optional<QueueMessageRecord>> SqliteTransaction::FindQueueMessage(int64_t id) {
  return queue_.FindMessage(id);
}

Result<std::vector<QueueMessageRecord>> SqliteTransaction::ListQueueMessages(const std::string& state,
                                                                             int64_t after, int limit) {
  return queue_.ListMessages(state, after, limit);
}

Result<std::vector<QueueMessageRecord>> SqliteTransaction::ListVisibleQueueMessages(TimeMs now, int limit) {
  return queue_.ListVisible(now, limit);
}

Result<std::map<std::string, int64_t>> SqliteTransaction::CountQueueMessages(const std::string& file_key) {
  return queue_.CountMessages(file_key);
}

Result<std::vector<PredictionRecord>> SqliteTransaction::ListPredictions(const std::string& dimension,
                                                                         int64_t after, int limit) {
  return queue_.ListPredictions(dimension, after, limit);
}

Result<std::optional<PredictionRecord>> SqliteTransaction::FindPredictionOfMessage(int64_t message_id) {
  return queue_.FindPredictionOfMessage(message_id);
}

Status SqliteTransaction::InsertQueueFile(const QueueFileRecord& file) { return queue_.InsertFile(file); }

Status SqliteTransaction::UpdateQueueFileState(const std::string& key, const std::string& state,
                                               TimeMs updated_at) {
  return queue_.UpdateFileState(key, state, updated_at);
}

Result<int64_t> SqliteTransaction::InsertQueueMessage(const QueueMessageRecord& message) {
  return queue_.InsertMessage(message);
}

Status SqliteTransaction::UpdateQueueMessage(const QueueMessageRecord& message) {
  return queue_.UpdateMessage(message);
}

Result<bool> SqliteTransaction::InsertPrediction(const PredictionRecord& prediction) {
  return queue_.InsertPrediction(prediction);
}

}  // namespace grove::store
