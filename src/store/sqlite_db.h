#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "common/status.h"
#include "store/sql_connection.h"
#include "store/sqlite_cursor.h"

namespace grove::store {

// One SQLite connection configured for Grove: WAL journal, synchronous=NORMAL,
// foreign keys on, a 10 s busy timeout, and prepared statements cached by SQL.
//
// Thread-safe: Read and Write hold the connection's mutex for the whole
// transaction, so threads take turns. Several processes may open the same file:
// SQLite's file locks order their write transactions, and BEGIN IMMEDIATE is
// retried while another process holds the write lock.
class SqliteDb : public SqlConnection {
 public:
  // How long Begin keeps retrying a busy database before giving up, on top of
  // SQLite's own busy timeout.
  static constexpr int kBusyTimeoutMs = 10'000;
  static constexpr int kBeginRetryMs = 30'000;

  // Opens (creating if needed, with its parent folders) the database at `path`.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb() override;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs `body` (returning Status or Result<T>) inside BEGIN IMMEDIATE ... COMMIT.
  // Any error from `body` or from COMMIT rolls the whole transaction back.
  template <typename Fn>
  std::invoke_result_t<Fn> Write(Fn&& body) {
    return Transaction("BEGIN IMMEDIATE", body);
  }
  // Runs `body` inside a read transaction, so it sees one consistent snapshot.
  template <typename Fn>
  std::invoke_result_t<Fn> Read(Fn&& body) {
    return Transaction("BEGIN", body);
  }

  // A statement for `sql`, from the cache when it is not already in use.
  // REQUIRES: called from inside Read/Write (the mutex is held).
  Result<Statement> Prepare(const char* sql) override;
  // Runs one or more statements that return no rows (DDL, pragmas).
  // REQUIRES: inside Read/Write, or before the connection is shared.
  Status Exec(const char* sql) override;
  const std::string& name() const override { return path_; }

  const std::string& path() const { return path_; }

 private:
  struct CachedStatement {
    std::unique_ptr<SqliteCursor> cursor;
    bool in_use = false;
  };

  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Configure();
  // Runs `sql` (BEGIN ...), retrying while the database is busy.
  Status Begin(const char* sql);
  Status Commit();
  void Rollback();

  static Status StatusOf(const Status& s) { return s; }
  template <typename T>
  static Status StatusOf(const Result<T>& r) {
    return r.ok() ? Status::OK() : r.status();
  }

  // Rolls back on scope exit unless dismissed, so that even an exception
  // escaping `body` cannot leave the transaction open.
  class RollbackGuard {
   public:
    explicit RollbackGuard(SqliteDb* db) : db_(db) {}
    ~RollbackGuard() {
      if (db_ != nullptr) db_->Rollback();
    }
    void Dismiss() { db_ = nullptr; }

   private:
    SqliteDb* db_;
  };

  template <typename Fn>
  std::invoke_result_t<Fn> Transaction(const char* begin, Fn& body) {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(Begin(begin));
    RollbackGuard guard(this);
    auto result = body();
    RETURN_IF_ERROR(StatusOf(result));
    RETURN_IF_ERROR(Commit());
    guard.Dismiss();
    return result;
  }

  sqlite3* db_;
  std::string path_;
  std::mutex mu_;
  // Statements by SQL text. Guarded by mu_.
  std::unordered_map<std::string, CachedStatement> cache_;
};

}  // namespace grove::store
