#include "store/sqlite_metadata_store.h"

#include <sstream>

#include "store/schema_migrations.h"
#include "store/sqlite_backup.h"
#include "store/sql_transaction.h"

namespace grove::store {

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(const std::string& path,
                                                                       const MetadataStoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  const Clock* clock = options.clock != nullptr ? options.clock : SystemClock::Default();
  RETURN_IF_ERROR(Migrate(*db, SchemaMigrations(), clock->Now()));
  return std::unique_ptr<SqliteMetadataStore>(new SqliteMetadataStore(std::move(db), options));
}

SqliteMetadataStore::SqliteMetadataStore(std::unique_ptr<SqliteDb> db, const MetadataStoreOptions& options)
    : MetadataStore(options), db_(std::move(db)) {}

Status SqliteMetadataStore::Transact(const std::function<Status(StoreTransaction&)>& body) {
  int appended = 0;
  Status s = db_->Write([&] {
    SqlTransaction txn(db_.get());
    Status done = body(txn);
    appended = txn.appended_events();
    return done;
  });
  // Other processes sharing the file find the events at their next poll.
  if (s.ok() && appended > 0) NotifyEventSubscribers();
  return s;
}

Status SqliteMetadataStore::Read(const std::function<Status(StoreReader&)>& body) {
  return db_->Read([&] {
    SqlTransaction txn(db_.get());
    return body(txn);
  });
}

Status SqliteMetadataStore::WriteSql(const std::function<Status(SqlConnection&)>& body) {
  return db_->Write([&] { return body(*db_); });
}

Status SqliteMetadataStore::ReadSql(const std::function<Status(SqlConnection&)>& body) {
  return db_->Read([&] { return body(*db_); });
}

Result<std::string> SqliteMetadataStore::Backup(const std::filesystem::path& file) {
  RETURN_IF_ERROR(BackupSqliteFile(db_->path(), file));
  return std::string(kBackupSqlite);
}

Result<MetadataStore::IntegrityReport> SqliteMetadataStore::CheckIntegrity() {
  IntegrityReport report{.checked = true, .problems = {}};
  Status read = db_->Read([&]() -> Status {
    // At most 100 lines; one "ok" row when nothing is wrong.
    ASSIGN_OR_RETURN(Statement check, db_->Prepare("PRAGMA quick_check(100)"));
    while (true) {
      Result<bool> row = check.Step();
      if (!row.ok()) {  // SQLITE_CORRUPT can stop the check itself.
        report.problems.push_back(row.status().message());
        return Status::OK();
      }
      if (!*row) return Status::OK();
      // A row may hold several lines, under a "*** in database main ***" heading.
      std::istringstream lines(check.Text(0));
      for (std::string line; std::getline(lines, line);) {
        if (line != "ok" && !line.starts_with("*** ")) report.problems.push_back(line);
      }
    }
  });
  // Ending the transaction fails too on a damaged file: what the check found says why.
  if (!read.ok() && report.problems.empty()) return read;
  return report;
}

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path,
                                                               const MetadataStoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteMetadataStore> store, SqliteMetadataStore::Open(path, options));
  return std::unique_ptr<MetadataStore>(std::move(store));
}

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path, const Clock* clock) {
  MetadataStoreOptions options;
  options.clock = clock;
  return OpenSqliteMetadataStore(path, options);
}

}  // namespace grove::store
