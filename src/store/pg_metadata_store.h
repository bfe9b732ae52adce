#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/metadata_store.h"

namespace grove::store {

class PgConnection;

// The PostgreSQL backend of MetadataStore: the same tables and migrations as
// SQLite (store/pg_dialect.h translates), rows through SqlTransaction.
//
// How it keeps MetadataStore's contract on a server that many Grove
// processes on many machines share:
//  - Transact runs in READ COMMITTED and first takes one transaction-scoped
//    advisory lock (pg_advisory_xact_lock), so write transactions take turns,
//    as SQLite's BEGIN IMMEDIATE makes them. Each statement after the lock
//    sees every earlier commit, so model versions (MAX + 1) stay gap-free and
//    events get their seqs in commit order. Metadata writes are small and few
//    (the hot paths, serving and artifacts, do not write here), so one writer
//    at a time costs little and keeps every rule written above the rows
//    correct without per-table locking. The inference queue's leases are the
//    exception (TransactClaims): claimers lock the rows they take with
//    SELECT ... FOR UPDATE SKIP LOCKED instead, so servers lease beside each
//    other and beside the writers.
//  - Read runs in one REPEATABLE READ, READ ONLY snapshot, beside the writers.
//  - A transaction that appended events sends NOTIFY grove_events before it
//    commits; a listening connection (started with the first event
//    subscriber) wakes this process's followers when any process commits one.
//  - An empty database is created (CREATE DATABASE, through the server's
//    `postgres` database) and migrated on first use.
// Connections are pooled; a broken one is dropped, and a transaction that
// could not start on it is retried once on a fresh one.
class PgMetadataStore : public MetadataStore {
 public:
  // `url`: postgresql://[user[:password]@]host[:port]/database[?param=...]
  // (libpq's URI; PGPASSWORD and ~/.pgpass work as for psql).
  static Result<std::unique_ptr<PgMetadataStore>> Open(const std::string& url, const MetadataStoreOptions& options);
  ~PgMetadataStore() override;

  Status Transact(const std::function<Status(StoreTransaction&)>& body) override;
  Status Read(const std::function<Status(StoreReader&)>& body) override;
  // Without the writers' lock: claimers lock the rows they take (SKIP LOCKED).
  Status TransactClaims(const std::function<Status(StoreTransaction&)>& body) override;
  Status WriteSql(const std::function<Status(SqlConnection&)>& body) override;
  Status ReadSql(const std::function<Status(SqlConnection&)>& body) override;
  // Runs `pg_dump --format=custom` (PostgreSQL's client tools on PATH): one
  // consistent snapshot, taken beside the writers. Restore with pg_restore
  // (grove restore does, into an empty database).
  Result<std::string> Backup(const std::filesystem::path& file) override;

 private:
  PgMetadataStore(std::string url, std::string name, const MetadataStoreOptions& options);

  Result<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> conn);
  // Runs `body` between `begin` and COMMIT on a pooled connection.
  Status InTransaction(const char* begin, const std::function<Status(PgConnection&)>& body);
  void OnFirstSubscriber() override;
  void Listen();

  const std::string url_;
  const std::string name_;  // The URL without its password.
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // Guarded by pool_mu_.
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;  // Interrupts the listener's wait.
  std::thread listener_;
};

// The URL with its password, if any, replaced by "***" (for messages and logs).
std::string RedactedUrl(const std::string& url);

}  // namespace grove::store
