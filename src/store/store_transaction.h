#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/queue_rows.h"
#include "store/records.h"

namespace grove::store {

// The rows of the metadata store, read inside one transaction
// (MetadataStore::Read or Transact). This and StoreTransaction are all that a
// backend implements: plain rows in and out, with no rules of their own (no
// validation beyond the schema's keys, no events, no messages naming what
// exists). The rules live above, written once for every backend.
//
// Find* return nullopt for a missing row; errors are I/O or database errors.
// Every read sees the transaction's own writes and one consistent snapshot.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // --- Pipelines: by name. ---------------------------------------------------
  virtual Result<std::optional<PipelineRecord>> FindPipeline(const std::string& name) = 0;
  virtual Result<std::vector<PipelineRecord>> ListPipelines() = 0;
  virtual Result<std::optional<DefinitionRecord>> FindDefinition(const std::string& pipeline, int version) = 0;

  // --- Executions. -----------------------------------------------------------
  virtual Result<std::optional<ExecutionRecord>> FindExecution(const std::string& id) = 0;
  // Newest first (started_at, then insertion); every pipeline's when `pipeline`
  // is empty; every row when `limit` <= 0.
  virtual Result<std::vector<ExecutionRecord>> ListExecutions(const std::string& pipeline, int limit) = 0;
  // Executions whose status is one of `statuses`, in insertion order.
  virtual Result<std::vector<ExecutionRecord>> ListExecutionsWithStatus(const std::vector<std::string>& statuses) = 0;

  // --- Step runs: one row per (execution, step). -----------------------------
  virtual Result<std::optional<StepRunRecord>> FindStepRun(const std::string& execution_id,
                                                           const std::string& step_name) = 0;
  // By started_at, then insertion.
  virtual Result<std::vector<StepRunRecord>> ListStepRuns(const std::string& execution_id) = 0;
  // The Succeeded run with `cache_key` that started last, at or after `not_before`.
  virtual Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before) = 0;

  // --- Artifacts and lineage. ------------------------------------------------
  virtual Result<std::optional<ArtifactRecord>> FindArtifact(const std::string& digest) = 0;
  // The links naming `digest`: outputs first, then inputs, each in insertion order.
  virtual Result<std::vector<ArtifactLink>> ListArtifactLinks(const std::string& digest) = 0;
  // Artifacts whose digest sorts after `after` (byte order), by digest; at most `limit` (all when <= 0).
  virtual Result<std::vector<ArtifactRecord>> ListArtifacts(const std::string& after, int limit) = 0;

  // --- Tuning trials. --------------------------------------------------------
  // One step's trials by number; with an empty `step_name`, every step's (by step, then number).
  virtual Result<std::vector<TrialRecord>> ListTrials(const std::string& execution_id,
                                                      const std::string& step_name) = 0;
  // Trials of the step runs whose cache key is `cache_key` (not empty), by end time, then insertion.
  virtual Result<std::vector<TrialRecord>> ListTrialsByCacheKey(const std::string& cache_key) = 0;

  // --- Model registry. -------------------------------------------------------
  // version_count is the number of the group's versions.
  virtual Result<std::optional<ModelGroupRecord>> FindModelGroup(const std::string& name) = 0;
  // By name.
  virtual Result<std::vector<ModelGroupRecord>> ListModelGroups() = 0;
  virtual Result<std::optional<ModelVersionRecord>> FindModelVersion(const std::string& group, int version) = 0;
  // Ascending by version.
  virtual Result<std::vector<ModelVersionRecord>> ListModelVersions(const std::string& group) = 0;
  // One page of a group's version summaries, what a listing shows: group,
  // version, approval_status, approval_changed_at and created_at (every other
  // field left empty, so that a backend can answer from one covering index):
  // at most `limit` (all when <= 0) after version `after` in ascending order,
  // or before it in descending order (`after` <= 0: from the newest).
  virtual Result<std::vector<ModelVersionRecord>> ListModelVersionsAfter(const std::string& group, int after,
                                                                         int limit, bool descending) = 0;

  // --- Endpoints: each with its deployments, by group name. ------------------
  virtual Result<std::optional<EndpointRecord>> FindEndpoint(const std::string& name) = 0;
  // By name.
  virtual Result<std::vector<EndpointRecord>> ListEndpoints() = 0;
  // Promotions from or to `endpoint`, newest first.
  virtual Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint) = 0;

  // --- Resources: JSON documents by kind and name (ResourceRecord). --------
  virtual Result<std::optional<ResourceRecord>> FindResource(const std::string& kind, const std::string& name) = 0;
  // The resources of `kind` whose name starts with `prefix` and sorts after
  // `after` (byte order), in that order; at most `limit` (all when limit <= 0).
  virtual Result<std::vector<ResourceRecord>> ListResources(const std::string& kind, const std::string& prefix,
                                                            const std::string& after, int limit) = 0;

  // --- Trigger firings: by id; (trigger, identity) is unique. ---------------
  virtual Result<std::optional<TriggerFiringRecord>> FindFiring(const std::string& trigger,
                                                                const std::string& identity) = 0;
  // One trigger's firings (every trigger's when empty), newest claimed first; at most `limit` (all when <= 0).
  virtual Result<std::vector<TriggerFiringRecord>> ListFirings(const std::string& trigger, int limit) = 0;
  // Firings with `status`, oldest claimed first.
  virtual Result<std::vector<TriggerFiringRecord>> ListFiringsWithStatus(const std::string& status) = 0;

  // --- Events. ---------------------------------------------------------------
  // Events with seq > `after`, by seq; at most `limit` (all when limit <= 0).
  virtual Result<std::vector<EventRecord>> ListEvents(int64_t after, int limit) = 0;

  // --- Inference queue (rules: store/queue_records.h). -----------------------
  virtual Result<std::optional<QueueFileRecord>> FindQueueFile(const std::string& key) = 0;
  // Files in `state`, by created_at, then key.
  virtual Result<std::vector<QueueFileRecord>> ListQueueFiles(const std::string& state) = 0;
  virtual Result<std::optional<QueueMessageRecord>> FindQueueMessage(int64_t id) = 0;
  // Messages in `state` (any when empty) with id > `after`, by id; at most `limit` (all when <= 0).
  virtual Result<std::vector<QueueMessageRecord>> ListQueueMessages(const std::string& state, int64_t after,
                                                                    int limit) = 0;
  // Queued messages with visible_at <= `now`, by visible_at, then id; at most `limit` (all when <= 0).
  // In a write transaction on a backend with row locks, the rows are locked
  // until it ends, and rows another transaction holds are skipped.
  virtual Result<std::vector<QueueMessageRecord>> ListVisibleQueueMessages(TimeMs now, int limit) = 0;
  // The number of messages in each state (states without any are absent); of
  // file `file_key` only when it is not empty.
  virtual Result<std::map<std::string, int64_t>> CountQueueMessages(const std::string& file_key) = 0;
  // Predictions of `dimension` (every one when empty) with seq > `after`, by
  // seq; at most `limit` (all when <= 0).
  virtual Result<std::vector<PredictionRecord>> ListPredictions(const std::string& dimension, int64_t after,
                                                                int limit) = 0;
  virtual Result<std::optional<PredictionRecord>> FindPredictionOfMessage(int64_t message_id) = 0;
};

// The rows, written inside one write transaction (MetadataStore::Transact):
// every write commits with the others or, when the transaction fails, none
// does. Put* insert or replace the row with the record's key.
//
// Two guarantees make concurrent writers (threads, processes, machines) safe,
// and each backend must give them whatever its isolation level:
//  - NextModelVersion: no two transactions get the same number for a group,
//    and a number is used only by a transaction that commits, so versions are
//    unique and gap-free (SQLite: every write transaction holds the database's
//    write lock; PostgreSQL: lock the group's row until commit).
//  - AppendEvent: sequence numbers become visible in commit order; a reader
//    that has seen seq N never later sees a new event below N (SQLite: writers
//    are serialised; PostgreSQL: take the event counter under a lock held
//    until commit).
class StoreTransaction : public StoreReader {
 public:
  // Pipelines and their immutable definition versions.
  virtual Status PutPipeline(const PipelineRecord& pipeline) = 0;
  // FailedPrecondition (a key conflict) when the version is already stored.
  virtual Status InsertDefinition(const DefinitionRecord& definition) = 0;

  virtual Status PutExecution(const ExecutionRecord& execution) = 0;
  virtual Status PutStepRun(const StepRunRecord& run) = 0;

  // Artifacts are immutable: inserting a known digest keeps the stored row.
  virtual Status InsertArtifact(const ArtifactRecord& artifact) = 0;
  // Replaces the lineage of one step run with `links` (each naming a stored artifact).
  virtual Status ReplaceArtifactLinks(const std::string& execution_id, const std::string& step_name,
                                      const std::vector<ArtifactLink>& links) = 0;

  virtual Status PutTrial(const TrialRecord& trial) = 0;

  // Inserts or replaces the resource of (kind, name), all fields as given.
  virtual Status PutResource(const ResourceRecord& resource) = 0;
  // Whether a resource was there to delete.
  virtual Result<bool> DeleteResource(const std::string& kind, const std::string& name) = 0;

  // The group row (name, description, created_at; version_count is derived).
  virtual Status PutModelGroup(const ModelGroupRecord& group) = 0;
  // Deletes the group's row (its versions' rows are left alone: callers
  // delete only groups without versions). Whether there was one.
  virtual Result<bool> DeleteModelGroup(const std::string& name) = 0;
  // The number the group's next version takes: one more than its highest.
  // See the class comment for the concurrency guarantee.
  virtual Result<int> NextModelVersion(const std::string& group) = 0;
  virtual Status PutModelVersion(const ModelVersionRecord& version) = 0;

  // The endpoint's own row; its `deployments` are not written (PutDeployment).
  virtual Status PutEndpoint(const EndpointRecord& endpoint) = 0;
  // Deletes the endpoint and its deployments.
  virtual Status DeleteEndpoint(const std::string& name) = 0;
  // Pins `deployment.group` on `endpoint`, replacing an earlier pin of the group.
  virtual Status PutDeployment(const std::string& endpoint, const EndpointDeployment& deployment) = 0;
  // False when there was no such pin.
  virtual Result<bool> DeleteDeployment(const std::string& endpoint, const std::string& group) = 0;
  // Returns the new promotion's id (ids grow).
  virtual Result<int64_t> InsertPromotion(const PromotionRecord& promotion) = 0;

  // Inserts or replaces the firing with the record's id. FailedPrecondition
  // (a key conflict) when another firing has its (trigger, identity).
  virtual Status PutFiring(const TriggerFiringRecord& firing) = 0;
  // Deletes a trigger's firings (when the trigger is deleted).
  virtual Status DeleteFirings(const std::string& trigger) = 0;

  // Appends an event and returns its seq. See the class comment for the order guarantee.
  virtual Result<int64_t> AppendEvent(TimeMs at, const std::string& kind, const std::string& subject,
                                      const Json& payload) = 0;

  // Inference queue rows. FailedPrecondition (a key conflict) when the file's key is stored.
  virtual Status InsertQueueFile(const QueueFileRecord& file) = 0;
  virtual Status UpdateQueueFileState(const std::string& key, const std::string& state, TimeMs updated_at) = 0;
  // Inserts a message (its id is ignored) and returns the id it got (ids grow).
  virtual Result<int64_t> InsertQueueMessage(const QueueMessageRecord& message) = 0;
  // Writes the mutable fields of message `message.id`: state, attempts,
  // max_attempts, deliveries, visible_at, lease, last_error, updated_at.
  virtual Status UpdateQueueMessage(const QueueMessageRecord& message) = 0;
  // Inserts the prediction (its seq is ignored); false, writing nothing, when
  // its message already has one.
  virtual Result<bool> InsertPrediction(const PredictionRecord& prediction) = 0;
};

}  // namespace grove::store
