#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "app/doctor_report.h"
#include "app/home.h"
#include "common/status.h"
#include "store/store_copy.h"

namespace grove::app {

// A backup folder (grove backup):
//   MANIFEST.json                 written last: a folder without it is incomplete
//   grove.db | metadata.pgdump    the metadata: a SQLite database file, or pg_dump's custom-format archive
//   artifacts/sha256/<2 hex>/<digest>   every artifact the metadata records, content-addressed
inline constexpr const char* kBackupManifest = "MANIFEST.json";

// OK when `folder` does not exist or is an empty folder; else AlreadyExists
// "<what> <folder> is not empty" (or "is a file").
Status RequireEmptyFolder(const std::filesystem::path& folder, const std::string& what);

struct BackupReport {
  std::string metadata_format;  // store::kBackupSqlite or store::kBackupPgDump.
  std::filesystem::path metadata_file;
  int64_t artifacts = 0;
  int64_t bytes = 0;
};

// Backs up `home` into `destination` (which must not exist, or be an empty
// folder) while other processes keep working on it: first one consistent
// snapshot of the metadata (store::MetadataStore::Backup), then every
// artifact the store records by then, which includes every artifact the
// snapshot names (artifact rows are never deleted, and an artifact is
// stored before it is recorded). Each copy is hashed again on the way: an
// artifact missing or corrupt in `home` fails the backup, naming it.
// Temporary files and derived files (compiled models) are not copied.
// `progress` (may be null) hears one line per stage.
Result<BackupReport> BackupHome(Home& home, const std::filesystem::path& destination,
                                const std::function<void(const std::string&)>& progress);

struct RestoreOptions {
  // Restore into a folder that is not empty: its grove.db is replaced (its
  // artifacts stay; the backup's are added). A --db store must still be empty.
  bool force = false;
};

struct RestoreReport {
  std::string metadata_format;  // The backup's: store::kBackupSqlite or store::kBackupPgDump.
  int64_t artifacts = 0;
  int64_t bytes = 0;
  store::StoreCopyStats rows;   // A SQLite backup's rows, copied into the target store.
  DoctorReport doctor;          // grove doctor's checks on the restored folder.
};

// Restores the backup at `source` into the data folder `root` with `stores`
// (the target's --db and --artifacts, as for Home::Open). `root` must not
// exist or be empty, and the metadata store must hold nothing, unless
// `options.force`. Artifacts are stored (and hashed) first, then the
// metadata: for a SQLite backup, the artifacts its rows name (NotFound when
// the backup lacks one), then its rows, copied into the target store, any
// backend (store::CopyMetadataStore, with each artifact's URI in the target);
// for a pg_dump archive, every artifact of the backup, then pg_restore into a
// PostgreSQL --db. Then the doctor's checks run on the result
// (RestoreReport::doctor).
Result<RestoreReport> RestoreHome(const std::filesystem::path& source, const std::filesystem::path& root,
                                  const StoreLocations& stores, const RestoreOptions& options,
                                  const std::function<void(const std::string&)>& progress);

}  // namespace grove::app
