#pragma once

// Plain records that the metadata store reads and writes. Times are TimeMs
// (0 = not set); documents (parameters, outputs, metadata, metrics) are Json.

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

struct ApprovalChange {
  std::string status;
  std::string comment;
  std::string by;
  TimeMs at = 0;
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
