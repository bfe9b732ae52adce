#include "store/sqlite_backup.h"

#include <sqlite3.h>

#include <cstdio>

#include "common/file_util.h"

namespace grove::store {

namespace {

// Closes a connection on scope exit.
struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close_v2(db); }
};

Status Failed(const std::string& what, sqlite3* db) {
  return Status::IOError(what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Status BackupSqliteFile(const std::string& source, const std::filesystem::path& destination) {
  std::error_code ec;
  if (std::filesystem::exists(destination, ec)) {
    return Status::AlreadyExists("backup file " + destination.string() + " exists");
  }
  const std::filesystem::path temp = destination.string() + ".partial";
  std::filesystem::remove(temp, ec);
  Connection from;
  Connection to;
  if (sqlite3_open_v2(source.c_str(), &from.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Failed("cannot open " + source + " to back it up", from.db);
  }
  sqlite3_busy_timeout(from.db, 10'000);
  if (Status s = CreatePrivateFile(temp); !s.ok()) return s;  // A copy of the secrets, as private as they.
  if (sqlite3_open_v2(temp.c_str(), &to.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return Failed("cannot create " + temp.string(), to.db);
  }
  sqlite3_backup* backup = sqlite3_backup_init(to.db, "main", from.db, "main");
  if (backup == nullptr) return Failed("cannot back up " + source + " into " + temp.string(), to.db);
  // All pages in one step: one read transaction on the source, so one snapshot.
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(temp, ec);
    return Status::IOError("backing up " + source + " into " + temp.string() + " failed: " + sqlite3_errstr(rc));
  }
  // The copy is a plain rollback-journal database until a Grove process opens it in WAL mode.
  if (sqlite3_exec(to.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failed("cannot finish " + temp.string(), to.db);
  }
  sqlite3_close_v2(to.db);
  to.db = nullptr;
  RETURN_IF_ERROR(SyncPath(temp));
  if (std::rename(temp.c_str(), destination.c_str()) != 0) {
    return Status::IOError("cannot rename " + temp.string() + " to " + destination.string());
  }
  return SyncPath(destination.parent_path());
}

}  // namespace grove::store
