#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/owner_liveness.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

class SqlConnection;

// The formats of MetadataStore::Backup.
inline constexpr const char* kBackupSqlite = "sqlite";
inline constexpr const char* kBackupPgDump = "pg_dump";

struct MetadataStoreOptions {
  // Stamps rows and events whose records leave their time at 0.
  // Default (null): the system clock. Not owned.
  const Clock* clock = nullptr;
  // Tells when the process owning an execution's lease is gone.
  // Default (null): LocalOwnerLiveness(). Not owned.
  const OwnerLiveness* owners = nullptr;
};

// The metadata of everything Grove knows: pipelines, executions, step runs,
// artifacts and lineage, the model registry, endpoints and the event log.
//
// A backend (SQLite, PostgreSQL) implements only rows and transactions:
// Transact and Read over StoreTransaction. The record-keeping methods below
// are written once, over those, for every backend; the rules of the registry
// and of endpoints (approval, what may be deployed, promotion) live above, in
// registry/, and run inside Transact too.
//
// The contract every backend keeps (store_transaction.h says how):
//  - Each Transact is atomic: a multi-row change either happens whole or not at
//    all, and each state change appends its event in the same transaction.
//  - Event sequence numbers become visible in commit order: a reader that has
//    seen seq N never later sees a new event with a seq below N, so following
//    the log by "seq > last seen" misses nothing.
//  - Model version numbers are unique and gap-free per group (1, 2, 3, ...),
//    even with concurrent writers in several processes.
// Implementations are safe to use from many threads and from several
// processes sharing one store.
class MetadataStore {
 public:
  virtual ~MetadataStore() = default;
  MetadataStore(const MetadataStore&) = delete;
  MetadataStore& operator=(const MetadataStore&) = delete;

  // --- Rows and transactions: what a backend implements ---------------------
  // Runs `body` in one write transaction: its writes commit together when it
  // returns OK; any error (from `body` or the commit) rolls all of them back
  // and is returned. May wait for writers in other processes.
  // REQUIRES: `body` does not call this store (transactions do not nest).
  virtual Status Transact(const std::function<Status(StoreTransaction&)>& body) = 0;
  // Runs `body` on one consistent, read-only snapshot.
  virtual Status Read(const std::function<Status(StoreReader&)>& body) = 0;
  // A write transaction that claims rows (the inference queue's leases)
  // beside other writers instead of in turn with them, where the backend
  // locks rows (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, without the
  // writers' lock); elsewhere the same as Transact.
  // REQUIRES: `body` appends no events and numbers no model versions (both
  // need the writers' turn; they fail with Internal here).
  virtual Status TransactClaims(const std::function<Status(StoreTransaction&)>& body) { return Transact(body); }
  // The same two on the backend's connection itself, in SQL (store/
  // sql_connection.h): for whole-store tools that copy every table (grove
  // migrate-store), not for record-keeping. The rules below do not apply.
  virtual Status WriteSql(const std::function<Status(SqlConnection&)>& body) = 0;
  virtual Status ReadSql(const std::function<Status(SqlConnection&)>& body) = 0;
  // Writes a consistent copy of the whole store to `file` (which must not
  // exist; its folder must), taken beside running readers and writers of any
  // process (grove backup): SQLite's online backup API into a database file,
  // or pg_dump's custom-format archive. Returns the copy's format,
  // kBackupSqlite or kBackupPgDump.
  virtual Result<std::string> Backup(const std::filesystem::path& file) = 0;
  // The backend's own check of its files (grove doctor): what it reports as
  // damaged, one line each; empty when sound. SQLite: PRAGMA quick_check (every
  // page, index and constraint, without cross-checking indexes against tables).
  // PostgreSQL checks its own pages as it reads them, so nothing more here:
  // `checked` is false.
  struct IntegrityReport {
    bool checked = false;
    std::vector<std::string> problems;
  };
  virtual Result<IntegrityReport> CheckIntegrity() { return IntegrityReport{}; }

  const Clock* clock() const { return clock_; }
  const OwnerLiveness* owners() const { return owners_; }

  // --- Pipelines ------------------------------------------------------------
  // Stores `def` as a new version of its pipeline unless the latest version has
  // the same digest; creates the pipeline on first use. Returns the version
  // number that holds `def` (new or existing).
  Result<int> PutDefinition(const DefinitionRecord& def, const std::string& description);
  // Pipelines that are not deleted, by name.
  Result<std::vector<PipelineRecord>> ListPipelines();
  // NotFound for a deleted pipeline too.
  Result<PipelineRecord> GetPipeline(const std::string& name);
  // See WritePipelineDeletion (store/pipeline_records.h).
  Status DeletePipeline(const std::string& name);
  // `version` 0 means the latest.
  Result<DefinitionRecord> GetDefinition(const std::string& pipeline, int version);

  // --- Executions (rules: store/execution_records.h) -------------------------
  Status CreateExecution(const ExecutionRecord& execution);
  // Sets status, failure reason and end time (0 keeps the stored one).
  Status UpdateExecutionStatus(const std::string& id, const std::string& status,
                               const std::string& failure_reason, TimeMs ended_at);
  // Moves an Executing execution to Stopping; an orphaned one (its owner is
  // gone or its lease expired) ends Stopped at once. FailedPrecondition when
  // it has ended.
  Status RequestStop(const std::string& id);
  Result<ExecutionRecord> GetExecution(const std::string& id);
  // Newest first. Empty `pipeline` lists all; `limit` <= 0 lists all.
  Result<std::vector<ExecutionRecord>> ListExecutions(const std::string& pipeline, int limit);
  // Extends the lease of the given executions, all owned by `owner`, and
  // records now as their heartbeat.
  Status RenewLeases(const std::string& owner, const std::vector<std::string>& ids, TimeMs expires);
  // Takes over at most `max` Executing executions whose owner is gone or whose
  // lease expired, for `owner` until `expires` (store/execution_records.h).
  Result<std::vector<ExecutionRecord>> ClaimOrphanedExecutions(const std::string& owner, TimeMs expires, size_t max);
  // Fails executions still Executing/Stopping whose lease expired before `now`
  // or whose owner is gone (owners()), and their unfinished step runs, ending
  // them at their last heartbeat. Returns their ids.
  Result<std::vector<std::string>> FailExpiredExecutions(TimeMs now);

  // --- Step runs and artifacts ----------------------------------------------
  // Inserts or replaces the step run, inserts any artifacts not yet known, and
  // records `links` as the step run's lineage (replacing earlier links of it).
  Status PutStepRun(const StepRunRecord& run, const std::vector<ArtifactRecord>& artifacts,
                    const std::vector<ArtifactLink>& links);
  Result<std::vector<StepRunRecord>> ListStepRuns(const std::string& execution_id);
  Result<StepRunRecord> GetStepRun(const std::string& execution_id, const std::string& step_name);
  // The newest Succeeded step run with `cache_key` that ran (was not itself a
  // cache hit) and started at or after `not_before`, if any: an entry's age
  // counts from when its outputs were produced. An empty key never hits.
  Result<std::optional<StepRunRecord>> FindCacheHit(const std::string& cache_key, TimeMs not_before);
  Result<ArtifactRecord> GetArtifact(const std::string& digest);
  // All lineage edges that touch `digest`: who produced it, who consumed it.
  Result<std::vector<ArtifactLink>> ListArtifactLinks(const std::string& digest);

  // --- Tuning trials --------------------------------------------------------
  // Inserts or replaces the trial (execution_id, step_name, number). NotFound
  // when the execution is unknown; InvalidArgument for an unknown status.
  Status PutTrial(const TrialRecord& trial);
  // The trials of one step by number; with an empty `step_name`, of every step
  // of the execution (by step, then number). NotFound for an unknown execution.
  Result<std::vector<TrialRecord>> ListTrials(const std::string& execution_id, const std::string& step_name);
  // The trials recorded by step runs whose cache key is `cache_key` (the same
  // step type, arguments and inputs), in any execution, oldest first; none for
  // an empty key. A search resumed in a new execution after a crash reuses them.
  Result<std::vector<TrialRecord>> ListTrialsByCacheKey(const std::string& cache_key);

  // --- Model registry (reads; changes: registry::Registry) ------------------
  Result<std::vector<ModelGroupRecord>> ListModelGroups();
  // Ascending by version. NotFound "no model group 'X' (groups: A, B)".
  Result<std::vector<ModelVersionRecord>> ListModelVersions(const std::string& group);
  // NotFound naming the groups, or "no version 7 in model group 'X' (versions 1-3)".
  Result<ModelVersionRecord> GetModelVersion(const std::string& group, int version);

  // --- Endpoints (reads; changes: registry::Endpoints) ----------------------
  // NotFound naming the endpoints that exist.
  Result<EndpointRecord> GetEndpoint(const std::string& name);
  Result<std::vector<EndpointRecord>> ListEndpoints();
  // Promotions from or to `endpoint`, newest first.
  Result<std::vector<PromotionRecord>> ListPromotions(const std::string& endpoint);

  // --- Events ---------------------------------------------------------------
  // Events with seq > `after`, oldest first, at most `limit` (all when <= 0).
  Result<std::vector<EventRecord>> ListEvents(int64_t after, int limit);

  // Calls `wake` (from any thread, outside transactions; it must be quick and
  // must not call this store's subscriptions) soon after events may
  // have been appended, so a follower reads them at once instead of at its
  // next poll: after each commit of this process that appended events, and,
  // where the backend can tell (PostgreSQL's LISTEN/NOTIFY), of any process.
  // A hint only: followers still poll. Returns an id for UnsubscribeEvents.
  uint64_t SubscribeEvents(std::function<void()> wake);
  // After it returns, the subscription's `wake` is not running and will not run.
  void UnsubscribeEvents(uint64_t id);

 protected:
  explicit MetadataStore(const MetadataStoreOptions& options);

  // Calls every subscriber's `wake`.
  void NotifyEventSubscribers();
  // Tells a backend that the first subscriber arrived (e.g. to start listening).
  virtual void OnFirstSubscriber() {}

 private:
  const Clock* clock_;
  const OwnerLiveness* owners_;
  // Held while subscribers are called, so UnsubscribeEvents waits for a running wake.
  std::recursive_mutex subscribers_mu_;
  std::map<uint64_t, std::function<void()>> subscribers_;  // Guarded by subscribers_mu_.
  uint64_t next_subscriber_ = 1;                           // Guarded by subscribers_mu_.
};

namespace internal {
// Runs `run(step)`, where `step` calls `body` and keeps what it returned;
// returns that, or `run`'s own error (a failed commit).
template <typename R, typename Run, typename Fn>
R RunKeepingResult(Run&& run, Fn& body) {
  std::optional<R> out;
  Status s = run([&](auto& rows) -> Status {
    out.emplace(body(rows));
    if constexpr (std::is_same_v<R, Status>) {
      return *out;
    } else {
      return out->status();
    }
  });
  if (!s.ok()) return R(s);
  return std::move(*out);
}
}  // namespace internal

// Runs `body` (StoreTransaction& -> Status or Result<T>) in one write
// transaction of `store` and returns what it returned, or the commit's error.
template <typename Fn>
std::invoke_result_t<Fn&, StoreTransaction&> TransactValue(MetadataStore& store, Fn&& body) {
  using R = std::invoke_result_t<Fn&, StoreTransaction&>;
  return internal::RunKeepingResult<R>([&](const auto& step) { return store.Transact(step); }, body);
}

// The same on a read-only snapshot (StoreReader& -> Status or Result<T>).
template <typename Fn>
std::invoke_result_t<Fn&, StoreReader&> ReadValue(MetadataStore& store, Fn&& body) {
  using R = std::invoke_result_t<Fn&, StoreReader&>;
  return internal::RunKeepingResult<R>([&](const auto& step) { return store.Read(step); }, body);
}

// Opens (creating and migrating as needed) the SQLite store at `path`.
// PostgreSQL: store/pg_metadata_store.h.
// Stores opened by URL: store/store_url.h.
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path,
                                                               const MetadataStoreOptions& options = {});
// The same with a chosen clock (tests use a FakeClock).
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path, const Clock* clock);

}  // namespace grove::store
