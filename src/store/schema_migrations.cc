#include "store/schema_migrations.h"

#include <string>

namespace grove::store {

namespace {

// Version 1: everything Grove records. Times are milliseconds since the epoch
// (0 = not set); documents are JSON text.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE pipelines (
  name           TEXT PRIMARY KEY,
  description    TEXT NOT NULL DEFAULT '',
  latest_version INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE TABLE definitions (
  pipeline    TEXT NOT NULL REFERENCES pipelines(name),
  version     INTEGER NOT NULL,
  digest      TEXT NOT NULL,
  body        TEXT NOT NULL,
  source_path TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  UNIQUE (pipeline, version)
);
CREATE TABLE executions (
  id             TEXT PRIMARY KEY,
  pipeline       TEXT NOT NULL,
  version        INTEGER NOT NULL,
  status         TEXT NOT NULL,
  parameters     TEXT NOT NULL DEFAULT '{}',
  failure_reason TEXT NOT NULL DEFAULT '',
  started_at     INTEGER NOT NULL DEFAULT 0,
  ended_at       INTEGER NOT NULL DEFAULT 0,
  lease_owner    TEXT NOT NULL DEFAULT '',
  lease_expires  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX executions_by_pipeline ON executions(pipeline, started_at);
CREATE INDEX executions_by_status ON executions(status, lease_expires);
CREATE TABLE step_runs (
  execution_id     TEXT NOT NULL REFERENCES executions(id),
  step_name        TEXT NOT NULL,
  step_type        TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  started_at       INTEGER NOT NULL DEFAULT 0,
  ended_at         INTEGER NOT NULL DEFAULT 0,
  failure_reason   TEXT NOT NULL DEFAULT '',
  cache_key        TEXT NOT NULL DEFAULT '',
  cache_hit_source TEXT NOT NULL DEFAULT '',
  metadata         TEXT NOT NULL DEFAULT '{}',
  outputs          TEXT NOT NULL DEFAULT '{}',
  log_digest       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (execution_id, step_name)
);
CREATE INDEX step_runs_by_cache_key ON step_runs(cache_key, started_at);
CREATE TABLE artifacts (
  digest       TEXT PRIMARY KEY,
  uri          TEXT NOT NULL,
  is_directory INTEGER NOT NULL DEFAULT 0,
  size_bytes   INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE artifact_links (
  execution_id TEXT NOT NULL,
  step_name    TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('input', 'output')),
  name         TEXT NOT NULL,
  digest       TEXT NOT NULL REFERENCES artifacts(digest),
  FOREIGN KEY (execution_id, step_name) REFERENCES step_runs(execution_id, step_name),
  UNIQUE (execution_id, step_name, role, name, digest)
);
CREATE INDEX artifact_links_by_digest ON artifact_links(digest);
CREATE TABLE model_groups (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE TABLE model_versions (
  group_name          TEXT NOT NULL REFERENCES model_groups(name),
  version             INTEGER NOT NULL,
  approval_status     TEXT NOT NULL,
  approval_comment    TEXT NOT NULL DEFAULT '',
  approved_by         TEXT NOT NULL DEFAULT '',
  approval_changed_at INTEGER NOT NULL DEFAULT 0,
  model_digest        TEXT NOT NULL DEFAULT '',
  metrics             TEXT NOT NULL DEFAULT '{}',
  metadata            TEXT NOT NULL DEFAULT '{}',
  execution_id        TEXT NOT NULL DEFAULT '',
  step_name           TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  UNIQUE (group_name, version)
);
CREATE TABLE events (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}'
);
)sql";

constexpr const char* kEndpointSchema = R"sql(
CREATE TABLE endpoints (
  name            TEXT PRIMARY KEY,
  multi_model     INTEGER NOT NULL DEFAULT 0,
  follow          TEXT NOT NULL DEFAULT '[]',
  capture_percent REAL NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE TABLE endpoint_deployments (
  endpoint    TEXT NOT NULL REFERENCES endpoints (name) ON DELETE CASCADE,
  group_name  TEXT NOT NULL,
  version     INTEGER NOT NULL,
  deployed_by TEXT NOT NULL DEFAULT '',
  comment     TEXT NOT NULL DEFAULT '',
  deployed_at INTEGER NOT NULL,
  PRIMARY KEY (endpoint, group_name),
  FOREIGN KEY (group_name, version) REFERENCES model_versions (group_name, version)
);
CREATE TABLE endpoint_promotions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source      TEXT NOT NULL,
  target      TEXT NOT NULL,
  models      TEXT NOT NULL DEFAULT '[]',
  promoted_by TEXT NOT NULL DEFAULT '',
  comment     TEXT NOT NULL DEFAULT '',
  test        TEXT NOT NULL DEFAULT '{}',
  promoted_at INTEGER NOT NULL
);
CREATE INDEX endpoint_promotions_by_target ON endpoint_promotions (target, id);
)sql";

constexpr const char* kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version     INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  INTEGER NOT NULL
))sql";

Status CheckNotNewer(SqlConnection& db, int current, int known) {
  if (current <= known) return Status::OK();
  return Status::FailedPrecondition("metadata store " + db.name() + " has schema version " + std::to_string(current) +
                                    ", newer than this grove binary knows (" + std::to_string(known) +
                                    "); use a newer grove binary");
}

// Applies `step` unless it is already recorded. REQUIRES: inside Write.
Status ApplyIfMissing(SqlConnection& db, const Migration& step, int known, TimeMs now) {
  ASSIGN_OR_RETURN(int current, CurrentSchemaVersion(db));
  RETURN_IF_ERROR(CheckNotNewer(db, current, known));
  if (current >= step.version) return Status::OK();
  if (current != step.version - 1) {
    return Status::Internal("schema migrations are out of order: at version " + std::to_string(current) +
                            ", next step is " + std::to_string(step.version));
  }
  Status applied = db.Exec(step.sql);
  if (!applied.ok()) return applied.WithContext("schema migration " + std::to_string(step.version));
  ASSIGN_OR_RETURN(Statement insert,
                   db.Prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"));
  return insert.BindAll(step.version, step.description, now).Run();
}

}  // namespace

// Tuning trials, one row per trial of a Tuning step, written as each
// finishes. Kept as its own constant and entry so that it can be renumbered
// when branches that each add a migration are merged.
constexpr int kTrialsMigrationVersion = 3;
constexpr const char* kTrialsSchema = R"sql(
CREATE TABLE trials (
  execution_id    TEXT NOT NULL REFERENCES executions(id),
  step_name       TEXT NOT NULL,
  number          INTEGER NOT NULL,
  family          TEXT NOT NULL,
  hyperparameters TEXT NOT NULL DEFAULT '{}',
  fold_scores     TEXT NOT NULL DEFAULT '[]',
  mean_score      REAL,
  status          TEXT NOT NULL,
  error           TEXT NOT NULL DEFAULT '',
  started_at      INTEGER NOT NULL DEFAULT 0,
  ended_at        INTEGER NOT NULL DEFAULT 0,
  duration_ms     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_id, step_name, number)
);
)sql";

// The time of each execution's last lease renewal, so that an execution whose
// owner died ends at its last sign of life rather than when that was noticed.
// Rows from before it keep 0 (unknown). Its own entry for renumbering, like trials.
constexpr int kHeartbeatMigrationVersion = 4;
constexpr const char* kHeartbeatSchema = R"sql(
ALTER TABLE executions ADD COLUMN heartbeat_at INTEGER NOT NULL DEFAULT 0;
)sql";

// JSON documents by kind and name (ResourceRecord), for what the interfaces
// above the engine keep. Its own entry for renumbering, like trials.
constexpr int kResourcesMigrationVersion = 5;
constexpr const char* kResourcesSchema = R"sql(
CREATE TABLE resources (
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;
)sql";

// Deleted pipelines (SageMaker's DeletePipeline) keep their row, definitions
// and executions; the row says when. Its own entry for renumbering, like trials.
constexpr int kDeletedPipelinesMigrationVersion = 6;
constexpr const char* kDeletedPipelinesSchema = R"sql(
ALTER TABLE pipelines ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;
)sql";

// Pages of version summaries (ListModelVersionsAfter) read from this index
// alone. Its own entry for renumbering, like trials.
constexpr int kVersionSummariesMigrationVersion = 7;
constexpr const char* kVersionSummariesSchema = R"sql(
CREATE INDEX model_versions_summaries
  ON model_versions (group_name, version, approval_status, approval_changed_at, created_at);
)sql";

// The durable inference queue (store/queue_records.h): files enqueued (keyed
// by path and content digest, so enqueueing is idempotent), one message per
// row, and one prediction per answered message (unique by message id, so a
// message is recorded once however often it is delivered). A prediction's
// feature values are its message's row (queue_lines), named by its file's
// columns: stored once.
constexpr int kInferenceQueueMigrationVersion = 8;
constexpr const char* kInferenceQueueSchema = R"sql(
CREATE TABLE queue_files (
  key                 TEXT PRIMARY KEY,
  path                TEXT NOT NULL,
  digest              TEXT NOT NULL,
  processed_path      TEXT NOT NULL DEFAULT '',
  columns             TEXT NOT NULL DEFAULT '[]',
  dimension           TEXT NOT NULL,
  endpoint            TEXT NOT NULL,
  model               TEXT NOT NULL,
  ground_truth_column TEXT NOT NULL DEFAULT '',
  rows                INTEGER NOT NULL DEFAULT 0,
  state               TEXT NOT NULL,
  created_at          INTEGER NOT NULL DEFAULT 0,
  updated_at          INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX queue_files_by_state ON queue_files (state, created_at);
CREATE TABLE queue_messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  file_key     TEXT NOT NULL REFERENCES queue_files (key),
  source_file  TEXT NOT NULL,
  row_number   INTEGER NOT NULL,
  dimension    TEXT NOT NULL,
  endpoint     TEXT NOT NULL,
  model        TEXT NOT NULL,
  state        TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 2,
  deliveries   INTEGER NOT NULL DEFAULT 0,
  visible_at   INTEGER NOT NULL DEFAULT 0,
  lease        INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (file_key, row_number)
);
CREATE INDEX queue_messages_ready ON queue_messages (state, visible_at, id);
CREATE INDEX queue_messages_by_file ON queue_messages (file_key, state);
-- Each message's row text, written once: the messages' own rows stay small, as
-- they are rewritten at every lease and settlement.
CREATE TABLE queue_lines (
  id   INTEGER PRIMARY KEY REFERENCES queue_messages (id),
  line TEXT NOT NULL
);
CREATE TABLE predictions (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  message_id   INTEGER NOT NULL UNIQUE,
  dimension    TEXT NOT NULL,
  model_key    TEXT NOT NULL,
  source_file  TEXT NOT NULL,
  row_number   INTEGER NOT NULL,
  prediction   INTEGER NOT NULL,
  probability  REAL,
  ground_truth TEXT NOT NULL DEFAULT '',
  ground_truth_index INTEGER NOT NULL DEFAULT -1,
  created_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX predictions_by_dimension ON predictions (dimension, seq);
)sql";

// Trigger firings (events/trigger_runner.h): one row per file, object or
// schedule time a trigger fired for, unique per (trigger, identity) so that an
// arrival fires once.
constexpr int kTriggerFiringsMigrationVersion = 9;
constexpr const char* kTriggerFiringsSchema = R"sql(
CREATE TABLE trigger_firings (
  id           TEXT PRIMARY KEY,
  trigger_name TEXT NOT NULL,
  identity     TEXT NOT NULL,
  path         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL,
  parameters   TEXT NOT NULL DEFAULT '{}',
  execution_id TEXT NOT NULL DEFAULT '',
  queued_rows  INTEGER NOT NULL DEFAULT 0,
  error        TEXT NOT NULL DEFAULT '',
  claimed_at   INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (trigger_name, identity)
);
CREATE INDEX trigger_firings_recent ON trigger_firings (trigger_name, claimed_at);
CREATE INDEX trigger_firings_status ON trigger_firings (status, claimed_at);
)sql";

// The arguments each step run resolved (parameters substituted, step outputs
// as artifact references), so an interface can show what a step ran with.
// Rows from before it keep {} (unknown).
constexpr int kStepArgumentsMigrationVersion = 10;
constexpr const char* kStepArgumentsSchema = R"sql(
ALTER TABLE step_runs ADD COLUMN arguments TEXT NOT NULL DEFAULT '{}';
)sql";

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "pipelines, executions, step runs, artifacts, lineage, model registry, events", kInitialSchema},
      {2, "endpoints, their deployments and promotions", kEndpointSchema},
      {kTrialsMigrationVersion, "tuning trials", kTrialsSchema},
      {kHeartbeatMigrationVersion, "execution heartbeats", kHeartbeatSchema},
      {kResourcesMigrationVersion, "resources (JSON documents by kind and name)", kResourcesSchema},
      {kDeletedPipelinesMigrationVersion, "deleted pipelines", kDeletedPipelinesSchema},
      {kVersionSummariesMigrationVersion, "a covering index for pages of version summaries", kVersionSummariesSchema},
      {kInferenceQueueMigrationVersion, "the inference queue: files, messages, predictions", kInferenceQueueSchema},
      {kTriggerFiringsMigrationVersion, "trigger firings", kTriggerFiringsSchema},
      {kStepArgumentsMigrationVersion, "step runs' resolved arguments", kStepArgumentsSchema},
  };
  return kMigrations;
}

Result<int> CurrentSchemaVersion(SqlConnection& db) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Status Migrate(const WriteTransaction& write, const std::vector<Migration>& migrations, TimeMs now) {
  int known = migrations.empty() ? 0 : migrations.back().version;
  RETURN_IF_ERROR(write([&](SqlConnection& db) -> Status {
    RETURN_IF_ERROR(db.Exec(kCreateVersionTable));
    ASSIGN_OR_RETURN(int current, CurrentSchemaVersion(db));
    return CheckNotNewer(db, current, known);
  }));
  for (const Migration& step : migrations) {
    RETURN_IF_ERROR(write([&](SqlConnection& db) { return ApplyIfMissing(db, step, known, now); }));
  }
  return Status::OK();
}

Status Migrate(SqliteDb& db, const std::vector<Migration>& migrations, TimeMs now) {
  return Migrate([&db](const std::function<Status(SqlConnection&)>& body) { return db.Write([&] { return body(db); }); },
                 migrations, now);
}

}  // namespace grove::store
