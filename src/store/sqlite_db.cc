#include "store/sqlite_db.h"

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "common/file_util.h"

namespace grove::store {

namespace {

bool IsBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

// Runs `sql` until it is not busy or `budget_ms` has passed, sleeping a short,
// growing, jittered time between tries so competing processes spread out.
int ExecWithRetry(sqlite3* db, const char* sql, int budget_ms) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(budget_ms);
  thread_local std::minstd_rand rng{std::random_device{}()};
  int sleep_ms = 1;
  while (true) {
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (!IsBusy(rc) || Clock::now() >= deadline) return rc;
    std::uniform_int_distribution<int> jitter(0, sleep_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms + jitter(rng)));
    sleep_ms = std::min(sleep_ms * 2, 50);
  }
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) RETURN_IF_ERROR(MakeDirs(parent));
  // The store holds access keys' and hooks' secrets: only its owner may read it.
  if (path != ":memory:" && path.rfind("file:", 0) != 0) RETURN_IF_ERROR(CreatePrivateFile(path));
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(handle, rc, "cannot open metadata store " + path);
    sqlite3_close(handle);
    return s;
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(handle, path));
  RETURN_IF_ERROR(db->Configure());
  return db;
}

SqliteDb::~SqliteDb() {
  cache_.clear();
  sqlite3_close(db_);
}

Status SqliteDb::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Switching to WAL needs a brief exclusive lock, so another process opening
  // the same file at the same moment can make it busy.
  int rc = ExecWithRetry(db_, "PRAGMA journal_mode=WAL", kBeginRetryMs);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot switch " + path_ + " to WAL mode");
  RETURN_IF_ERROR(Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  // Queue batches read and write megabytes per transaction: a 64 MiB page cache and reads through mmap
  // (256 MiB) instead of a pread per page.
  RETURN_IF_ERROR(Exec("PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"));
  return Status::OK();
}

Result<Statement> SqliteDb::Prepare(const char* sql) {
  CachedStatement& cached = cache_[sql];
  bool cacheable = !cached.in_use;
  if (!cacheable || cached.cursor == nullptr) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, std::string("cannot prepare '") + sql + "'");
    if (!cacheable) return Statement(new SqliteCursor(stmt), /*owned=*/true, nullptr);
    cached.cursor = std::make_unique<SqliteCursor>(stmt);
  }
  cached.in_use = true;
  return Statement(cached.cursor.get(), /*owned=*/false, &cached.in_use);
}

Status SqliteDb::Exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::OK();
  std::string detail = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  return SqliteStatus(rc, std::string("cannot run '") + sql + "' on " + path_ + ": " + detail);
}

Status SqliteDb::Begin(const char* sql) {
  int rc = ExecWithRetry(db_, sql, kBeginRetryMs);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot start a transaction on " + path_);
  return Status::OK();
}

Status SqliteDb::Commit() {
  int rc = ExecWithRetry(db_, "COMMIT", kBeginRetryMs);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "cannot commit to " + path_);
  return Status::OK();
}

void SqliteDb::Rollback() {
  // Some errors (I/O, out of memory) already rolled the transaction back.
  if (sqlite3_get_autocommit(db_)) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace grove::store
