#pragma once

#include <functional>
#include <memory>
#include <string>

#include "store/metadata_store.h"
#include "store/sqlite_db.h"

namespace grove::store {

// The SQLite backend of MetadataStore: one file (see SqliteDb for the
// connection's settings), rows through SqliteTransaction. Transact is
// BEGIN IMMEDIATE ... COMMIT, so write transactions of all threads and
// processes are serialised: that is what keeps model version numbers
// gap-free and events visible in seq order. Read is one deferred snapshot.
class SqliteMetadataStore : public MetadataStore {
 public:
  // Opens and migrates the store at `path`.
  static Result<std::unique_ptr<SqliteMetadataStore>> Open(const std::string& path,
                                                           const MetadataStoreOptions& options);

  Status Transact(const std::function<Status(StoreTransaction&)>& body) override;
  Status Read(const std::function<Status(StoreReader&)>& body) override;
  Status WriteSql(const std::function<Status(SqlConnection&)>& body) override;
  Status ReadSql(const std::function<Status(SqlConnection&)>& body) override;
  // Through a connection of its own (store/sqlite_backup.h), so this one's users do not wait.
  Result<std::string> Backup(const std::filesystem::path& file) override;
  Result<IntegrityReport> CheckIntegrity() override;

 private:
  SqliteMetadataStore(std::unique_ptr<SqliteDb> db, const MetadataStoreOptions& options);

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace grove::store
