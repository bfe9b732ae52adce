#pragma once

// Plain records that the metadata store reads and writes. Times are TimeMs
// (0 = not set); documents (parameters, outputs, metadata, metrics) are Json.

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"

namespace grove::store {

struct PipelineRecord {
  std::string name;
  std::string description;
  int latest_version = 0;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  // When the pipeline was deleted (0: it was not). A deleted pipeline is not
  // found or listed; its definitions and executions stay, and storing a
  // definition under its name again creates it anew with the next version.
  TimeMs deleted_at = 0;
};

// One immutable version of a pipeline's definition.
struct DefinitionRecord {
  std::string pipeline;
  int version = 0;
  std::string digest;       // SHA-256 of `body`.
  std::string body;         // The definition as the user wrote it (YAML or JSON).
  std::string source_path;  // Where it was read from, for messages.
  TimeMs created_at = 0;
};

// Execution status, as SageMaker names it: Executing | Stopping | Stopped | Failed | Succeeded.
// Step status: Starting | Executing | Stopping | Stopped | Failed | Succeeded.
struct ExecutionRecord {
  std::string id;
  std::string pipeline;
  int version = 0;
  std::string status;
  Json parameters = Json::object();  // Coerced parameter values by name.
  std::string failure_reason;
  TimeMs started_at = 0;
  TimeMs ended_at = 0;
  std::string lease_owner;   // "<host>:<pid>" of the process running it.
  TimeMs lease_expires = 0;  // After this, a crashed owner's execution may be failed.
  TimeMs heartbeat_at = 0;   // When the owner last renewed the lease (0: never, or before schema 4).
};

struct StepRunRecord {
  std::string execution_id;
  std::string step_name;
  std::string step_type;
  std::string status;
  int attempts = 0;
  TimeMs started_at = 0;
  TimeMs ended_at = 0;
  std::string failure_reason;
  std::string cache_key;         // Empty when the step is not cacheable.
  std::string cache_hit_source;  // Execution id whose outputs were reused; empty on a miss.
  Json metadata = Json::object();  // E.g. {"model_version": {"group": "G", "version": 3}}.
  Json outputs = Json::object();   // Output name -> artifact digest.
  std::string log_digest;          // Artifact holding the step's log, if any.
  // The arguments the step ran with, resolved: parameters substituted, step
  // outputs as artifact references (pipeline::ArtifactRef). {} until it starts.
  Json arguments = Json::object();
};

struct ArtifactRecord {
  std::string digest;  // SHA-256 (file bytes, or Sha256Tree for directories).
  std::string uri;     // Where the bytes live, e.g. file:///.../artifacts/sha256/ab/abcd...
  bool is_directory = false;
  int64_t size_bytes = 0;
  TimeMs created_at = 0;
};

// One edge of lineage: a step run produced or consumed an artifact.
struct ArtifactLink {
  std::string execution_id;
  std::string step_name;
  std::string role;  // "input" or "output".
  std::string name;  // The argument or output name.
  std::string digest;
};

// One trial of a hyperparameter search (a Tuning step): a model family and
// hyperparameters, scored by cross-validation (or on a validation channel).
// Status: Completed (all folds scored), Pruned (stopped early; fold_scores
// holds the folds run and mean_score their mean) or Failed (`error` says why).
// A row of the resource table: a JSON document named `name` within `kind`,
// for the resources of the interfaces above the engine that need no table of
// their own (SageMaker models and endpoint configs, S3 buckets and object
// keys, access keys, tags, ...). Each kind's owner keeps its rules.
struct ResourceRecord {
  std::string kind;  // E.g. "s3-object/my-bucket", "access-key".
  std::string name;  // Unique within `kind`; listed in byte order.
  Json body = Json::object();
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// One firing of a trigger (events/): a file or object that arrived, or a
// schedule's time, and what it started. Claimed first, completed after the
// action; (trigger, identity) is unique, so one arrival fires once.
struct TriggerFiringRecord {
  std::string id;        // 12 lowercase alphanumerics.
  std::string trigger;
  std::string identity;  // E.g. "<path>|<size>|<mtime ns>", "s3://b/k|<etag>", "schedule|<time>".
  std::string path;      // The file's absolute path or s3:// URI; empty for a schedule.
  std::string status;    // Claimed | Started | Queued | Failed.
  Json parameters = Json::object();  // What the action was given (bound parameters or queue target).
  std::string execution_id;          // Started: the execution.
  int64_t queued_rows = 0;           // Queued: how many rows.
  std::string error;                 // Failed: why.
  TimeMs claimed_at = 0;
  TimeMs completed_at = 0;
};

struct TrialRecord {
  std::string execution_id;
  std::string step_name;
  int number = 0;  // 0-based, in the order the strategy proposed it.
  std::string family;
  Json hyperparameters = Json::object();
  Json fold_scores = Json::array();  // Numbers; NaN is stored as null.
  double mean_score = 0;             // NaN when undefined (stored as NULL).
  std::string status;
  std::string error;
  TimeMs started_at = 0;
  TimeMs ended_at = 0;
  int64_t duration_ms = 0;  // Measured on a steady clock while the trial ran.
};

inline constexpr const char* kTrialCompleted = "Completed";
inline constexpr const char* kTrialPruned = "Pruned";
inline constexpr const char* kTrialFailed = "Failed";

inline bool IsTrialStatus(const std::string& s) {
  return s == kTrialCompleted || s == kTrialPruned || s == kTrialFailed;
}

struct ModelGroupRecord {
  std::string name;
  std::string description;
  int version_count = 0;
  TimeMs created_at = 0;
};

// Approval status: PendingManualApproval | Approved | Rejected.
struct ModelVersionRecord {
  std::string group;
  int version = 0;
  std::string approval_status;
  std::string approval_comment;
  std::string approved_by;       // Who made the last approval change.
  TimeMs approval_changed_at = 0;
  std::string model_digest;      // The model artifact.
  Json metrics = Json::object(); // Attached documents by name, e.g. {"model_quality": <digest>, ...}.
  Json metadata = Json::object();// Free-form: algorithm, transform digest, evaluation summary.
  std::string execution_id;      // Lineage to the execution that registered it; may be empty.
  std::string step_name;
  TimeMs created_at = 0;
};

// "group/version", how a model version is named everywhere (the inverse of
// registry::Registry::ParseVersionRef).
// One allocation at most: endpoints build it for every invocation.
inline std::string VersionRef(const std::string& group, int version) {
  char digits[16];
  const auto length = static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, version).ptr - digits);
  std::string ref;
  ref.reserve(group.size() + 1 + length);
  ref.append(group).append(1, '/').append(digits, length);
  return ref;
}

struct ApprovalChange {
  std::string status;
  std::string comment;
  std::string by;
  TimeMs at = 0;
};

// Status names, as SageMaker spells them.
inline constexpr const char* kExecuting = "Executing";
inline constexpr const char* kStopping = "Stopping";
inline constexpr const char* kStopped = "Stopped";
inline constexpr const char* kFailed = "Failed";
inline constexpr const char* kSucceeded = "Succeeded";
inline constexpr const char* kStarting = "Starting";  // Step runs only.
inline constexpr const char* kPendingManualApproval = "PendingManualApproval";
inline constexpr const char* kApproved = "Approved";
inline constexpr const char* kRejected = "Rejected";

inline bool IsExecutionStatus(const std::string& s) {
  return s == kExecuting || s == kStopping || s == kStopped || s == kFailed || s == kSucceeded;
}
inline bool IsStepStatus(const std::string& s) { return s == kStarting || IsExecutionStatus(s); }
inline bool IsApprovalStatus(const std::string& s) {
  return s == kPendingManualApproval || s == kApproved || s == kRejected;
}

// Event kinds. Subject and payload of each:
//   pipeline.version   <pipeline>        {pipeline, version, digest, source_path}
//   execution.created  <id>              {pipeline, version, status, parameters}
//   execution.status   <id>              {status, failure_reason}
//   execution.resumed  <id>              {owner, previous_owner}  (an orphan taken over)
//   pipeline.deleted   <pipeline>        {pipeline}
//   step.status        <id>              {execution_id, step, status}
//   model.created      <group>/<version> {group, version, approval_status, model_digest, execution_id}
//   model.approval     <group>/<version> {group, version, status, previous_status, comment, by}
//   endpoint.created   <endpoint>        {endpoint, multi_model, follow}
//   endpoint.deleted   <endpoint>        {endpoint}
//   endpoint.deployed  <endpoint>        {endpoint, group, version, by, comment}
//   endpoint.undeployed <endpoint>       {endpoint, group, by}
//   endpoint.promoted  <target endpoint> {id, source, target, models: [{group, version}], by, comment}
//   endpoint.updated   <endpoint>        {endpoint, multi_model, follow, capture_percent}  (grove apply)
//   quality.violation  <execution id>    {execution_id, step, kind (data|model), violations (count), group?, version?}
//   promotion.started  <flow>/<run id>   {flow, id, group, version, staging, production, by}  (app/promotion_runner.h)
//   promotion.pending  <flow>/<run id>   {flow, id, group, version, staging, production, by}  (waits for approval)
//   promotion.succeeded <flow>/<run id>  {flow, id, group, version, staging, production, by, reason}
//   promotion.failed   <flow>/<run id>   {flow, id, group, version, staging, production, by, reason}  (a gate, a
//                                        deployment, or superseded by a newer run)
//   promotion.rejected <flow>/<run id>   {flow, id, group, version, staging, production, by, reason}
inline constexpr const char* kEventPipelineVersion = "pipeline.version";
inline constexpr const char* kEventPipelineDeleted = "pipeline.deleted";
inline constexpr const char* kEventExecutionCreated = "execution.created";
inline constexpr const char* kEventExecutionStatus = "execution.status";
inline constexpr const char* kEventExecutionResumed = "execution.resumed";
inline constexpr const char* kEventStepStatus = "step.status";
inline constexpr const char* kEventModelCreated = "model.created";
inline constexpr const char* kEventModelApproval = "model.approval";
inline constexpr const char* kEventEndpointCreated = "endpoint.created";
inline constexpr const char* kEventEndpointDeleted = "endpoint.deleted";
inline constexpr const char* kEventEndpointDeployed = "endpoint.deployed";
inline constexpr const char* kEventEndpointUndeployed = "endpoint.undeployed";
inline constexpr const char* kEventEndpointPromoted = "endpoint.promoted";
inline constexpr const char* kEventEndpointUpdated = "endpoint.updated";
// The endpoint's variants or their weights changed (registry/traffic.h).
inline constexpr const char* kEventEndpointTraffic = "endpoint.traffic";
// A rollout (app/rollout.h) started, moved to its next step, or ended.
inline constexpr const char* kEventRolloutStarted = "rollout.started";
inline constexpr const char* kEventRolloutStep = "rollout.step";
inline constexpr const char* kEventRolloutSucceeded = "rollout.succeeded";
inline constexpr const char* kEventRolloutRolledBack = "rollout.rolled_back";
inline constexpr const char* kEventRolloutAborted = "rollout.aborted";
inline constexpr const char* kEventPromotionStarted = "promotion.started";
inline constexpr const char* kEventPromotionPending = "promotion.pending";
inline constexpr const char* kEventPromotionSucceeded = "promotion.succeeded";
inline constexpr const char* kEventPromotionFailed = "promotion.failed";
inline constexpr const char* kEventPromotionRejected = "promotion.rejected";

// A model version pinned on an endpoint by a deployment or a promotion.
struct EndpointDeployment {
  std::string group;
  int version = 0;
  std::string deployed_by;
  std::string comment;
  TimeMs deployed_at = 0;
};

// A named serving target. It serves, per model group: the pinned version of a
// deployment while that version stays Approved, else (a group it follows, or
// a pinned version since rejected) the group's newest Approved version. See
// serving/endpoint_resolution.h for the rule in full.
struct EndpointRecord {
  std::string name;
  bool multi_model = false;
  std::vector<std::string> follow;  // Glob patterns of group names, e.g. "sklearn-multimodel-*".
  double capture_percent = 0;       // Share of requests recorded by data capture, 0-100.
  std::vector<EndpointDeployment> deployments;  // By group name.
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// A recorded promotion: `target` switched to the versions `source` served.
struct PromotionRecord {
  int64_t id = 0;
  std::string source;
  std::string target;
  std::vector<EndpointDeployment> models;  // Group and version of each model promoted.
  std::string promoted_by;
  std::string comment;
  Json test = Json::object();  // The gate's test invocation: sample, rows, per-model results.
  TimeMs promoted_at = 0;
};

// A stored state change, delivered to subscribers in `seq` order.
struct EventRecord {
  int64_t seq = 0;
  TimeMs at = 0;
  std::string kind;     // e.g. "execution.status", "step.status", "model.created", "model.approval".
  std::string subject;  // e.g. an execution id, "<group>/<version>".
  Json payload = Json::object();
};

}  // namespace grove::store
