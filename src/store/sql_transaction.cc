#include "store/sql_transaction.h"

namespace grove::store {

SqlTransaction::SqlTransaction(SqlConnection* db, bool ordered)
    : ordered_(ordered),
      pipelines_(db),
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

Result<std::optional<PipelineRecord>> SqlTransaction::FindPipeline(const std::string& name) {
  return pipelines_.Find(name);
}

Result<std::vector<PipelineRecord>> SqlTransaction::ListPipelines() { return pipelines_.List(); }

Result<std::optional<DefinitionRecord>> SqlTransaction::FindDefinition(const std::string& pipeline, int version) {
  return pipelines_.FindDefinition(pipeline, version);
}

Result<std::optional<ExecutionRecord>> SqlTransaction::FindExecution(const std::string& id) {
  return executions_.Find(id);
}

Result<std::vector<ExecutionRecord>> SqlTransaction::ListExecutions(const std::string& pipeline, int limit) {
  return executions_.List(pipeline, limit);
}

Result<std::vector<ExecutionRecord>> SqlTransaction::ListExecutionsWithStatus(
    const std::vector<std::string>& statuses) {
  return executions_.ListWithStatus(statuses);
}

Result<std::optional<StepRunRecord>> SqlTransaction::FindStepRun(const std::string& execution_id,
                                                                    const std::string& step_name) {
  return step_runs_.Find(execution_id, step_name);
}

Result<std::vector<StepRunRecord>> SqlTransaction::ListStepRuns(const std::string& execution_id) {
  return step_runs_.List(execution_id);
}

Result<std::optional<StepRunRecord>> SqlTransaction::FindCacheHit(const std::string& cache_key,
                                                                     TimeMs not_before) {
  return step_runs_.FindCacheHit(cache_key, not_before);
}

Result<std::optional<ArtifactRecord>> SqlTransaction::FindArtifact(const std::string& digest) {
  return artifacts_.Find(digest);
}

Result<std::vector<ArtifactLink>> SqlTransaction::ListArtifactLinks(const std::string& digest) {
  return artifacts_.ListLinks(digest);
}

Result<std::vector<ArtifactRecord>> SqlTransaction::ListArtifacts(const std::string& after, int limit) {
  return artifacts_.List(after, limit);
}

Result<std::vector<TrialRecord>> SqlTransaction::ListTrials(const std::string& execution_id,
                                                               const std::string& step_name) {
  return trials_.List(execution_id, step_name);
}

Result<std::vector<TrialRecord>> SqlTransaction::ListTrialsByCacheKey(const std::string& cache_key) {
  return trials_.ListByCacheKey(cache_key);
}

Result<std::optional<ModelGroupRecord>> SqlTransaction::FindModelGroup(const std::string& name) {
  return models_.FindGroup(name);
}

Result<std::vector<ModelGroupRecord>> SqlTransaction::ListModelGroups() { return models_.ListGroups(); }

Result<std::optional<ModelVersionRecord>> SqlTransaction::FindModelVersion(const std::string& group,
                                                                              int version) {
  return models_.FindVersion(group, version);
}

Result<std::vector<ModelVersionRecord>> SqlTransaction::ListModelVersions(const std::string& group) {
  return models_.ListVersions(group);
}

Result<std::vector<ModelVersionRecord>> SqlTransaction::ListModelVersionsAfter(const std::string& group, int after,
                                                                                  int limit, bool descending) {
  return models_.ListVersionsAfter(group, after, limit, descending);
}

Result<std::optional<EndpointRecord>> SqlTransaction::FindEndpoint(const std::string& name) {
  return endpoints_.Find(name);
}

Result<std::vector<EndpointRecord>> SqlTransaction::ListEndpoints() { return endpoints_.List(); }

Result<std::vector<PromotionRecord>> SqlTransaction::ListPromotions(const std::string& endpoint) {
  return endpoints_.ListPromotions(endpoint);
}

Result<std::vector<EventRecord>> SqlTransaction::ListEvents(int64_t after, int limit) {
  return events_.List(after, limit);
}

// --- Writes ------------------------------------------------------------------

Status SqlTransaction::PutPipeline(const PipelineRecord& pipeline) { return pipelines_.Put(pipeline); }

Status SqlTransaction::InsertDefinition(const DefinitionRecord& definition) {
  return pipelines_.InsertDefinition(definition);
}

Status SqlTransaction::PutExecution(const ExecutionRecord& execution) { return executions_.Put(execution); }

Status SqlTransaction::PutStepRun(const StepRunRecord& run) { return step_runs_.Put(run); }

Status SqlTransaction::InsertArtifact(const ArtifactRecord& artifact) { return artifacts_.Insert(artifact); }

Status SqlTransaction::ReplaceArtifactLinks(const std::string& execution_id, const std::string& step_name,
                                               const std::vector<ArtifactLink>& links) {
  return artifacts_.ReplaceLinks(execution_id, step_name, links);
}

Status SqlTransaction::PutTrial(const TrialRecord& trial) { return trials_.Put(trial); }

Result<std::optional<TriggerFiringRecord>> SqlTransaction::FindFiring(const std::string& trigger,
                                                                         const std::string& identity) {
  return firings_.Find(trigger, identity);
}
Result<std::vector<TriggerFiringRecord>> SqlTransaction::ListFirings(const std::string& trigger, int limit) {
  return firings_.List(trigger, limit);
}
Result<std::vector<TriggerFiringRecord>> SqlTransaction::ListFiringsWithStatus(const std::string& status) {
  return firings_.ListWithStatus(status);
}
Status SqlTransaction::PutFiring(const TriggerFiringRecord& firing) { return firings_.Put(firing); }
Status SqlTransaction::DeleteFirings(const std::string& trigger) { return firings_.DeleteOf(trigger); }

Result<std::optional<ResourceRecord>> SqlTransaction::FindResource(const std::string& kind,
                                                                     const std::string& name) {
  return resources_.Find(kind, name);
}

Result<std::vector<ResourceRecord>> SqlTransaction::ListResources(const std::string& kind,
                                                                     const std::string& prefix,
                                                                     const std::string& after, int limit) {
  return resources_.List(kind, prefix, after, limit);
}

Status SqlTransaction::PutResource(const ResourceRecord& resource) { return resources_.Put(resource); }

Result<bool> SqlTransaction::DeleteResource(const std::string& kind, const std::string& name) {
  return resources_.Delete(kind, name);
}

Status SqlTransaction::PutModelGroup(const ModelGroupRecord& group) { return models_.PutGroup(group); }
Result<bool> SqlTransaction::DeleteModelGroup(const std::string& name) { return models_.DeleteGroup(name); }

Result<int> SqlTransaction::NextModelVersion(const std::string& group) {
  if (!ordered_) return Status::Internal("a version of '" + group + "' numbered in a claims transaction");
  return models_.NextVersion(group);
}

Status SqlTransaction::PutModelVersion(const ModelVersionRecord& version) { return models_.PutVersion(version); }

Status SqlTransaction::PutEndpoint(const EndpointRecord& endpoint) { return endpoints_.Put(endpoint); }

Status SqlTransaction::DeleteEndpoint(const std::string& name) { return endpoints_.Delete(name); }

Status SqlTransaction::PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment) {
  return endpoints_.PutDeployment(endpoint, deployment);
}

Result<bool> SqlTransaction::DeleteDeployment(const std::string& endpoint, const std::string& group) {
  return endpoints_.DeleteDeployment(endpoint, group);
}

Result<int64_t> SqlTransaction::InsertPromotion(const PromotionRecord& promotion) {
  return endpoints_.InsertPromotion(promotion);
}

Result<int64_t> SqlTransaction::AppendEvent(TimeMs at, const std::string& kind, const std::string& subject,
                                            const Json& payload) {
  if (!ordered_) return Status::Internal("event '" + kind + "' appended in a claims transaction");
  ++appended_events_;
  return events_.Append(at, kind, subject, payload);
}

// --- Inference queue ---------------------------------------------------------

Result<std::optional<QueueFileRecord>> SqlTransaction::FindQueueFile(const std::string& key) {
  return queue_.FindFile(key);
}

Result<std::vector<QueueFileRecord>> SqlTransaction::ListQueueFiles(const std::string& state) {
  return queue_.ListFiles(state);
}

Result<std::optional<QueueMessageRecord>> SqlTransaction::FindQueueMessage(int64_t id) {
  return queue_.FindMessage(id);
}

Result<std::vector<QueueMessageRecord>> SqlTransaction::ListQueueMessages(const std::string& state,
                                                                             int64_t after, int limit) {
  return queue_.ListMessages(state, after, limit);
}

Result<std::vector<QueueMessageRecord>> SqlTransaction::ListVisibleQueueMessages(TimeMs now, int limit) {
  return queue_.ListVisible(now, limit);
}

Result<std::map<std::string, int64_t>> SqlTransaction::CountQueueMessages(const std::string& file_key) {
  return queue_.CountMessages(file_key);
}

Result<std::vector<PredictionRecord>> SqlTransaction::ListPredictions(const std::string& dimension,
                                                                         int64_t after, int limit) {
  return queue_.ListPredictions(dimension, after, limit);
}

Result<std::optional<PredictionRecord>> SqlTransaction::FindPredictionOfMessage(int64_t message_id) {
  return queue_.FindPredictionOfMessage(message_id);
}

Status SqlTransaction::InsertQueueFile(const QueueFileRecord& file) { return queue_.InsertFile(file); }

Status SqlTransaction::UpdateQueueFileState(const std::string& key, const std::string& state,
                                               TimeMs updated_at) {
  return queue_.UpdateFileState(key, state, updated_at);
}

Result<int64_t> SqlTransaction::InsertQueueMessage(const QueueMessageRecord& message) {
  return queue_.InsertMessage(message);
}

Status SqlTransaction::UpdateQueueMessage(const QueueMessageRecord& message) {
  return queue_.UpdateMessage(message);
}

Result<bool> SqlTransaction::InsertPrediction(const PredictionRecord& prediction) {
  return queue_.InsertPrediction(prediction);
}

}  // namespace grove::store
