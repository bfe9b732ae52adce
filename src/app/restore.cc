// RestoreHome (app/backup.h): a backup folder back into a data folder.
#include <map>

#include "app/artifact_checks.h"
#include "app/backup.h"
#include "app/doctor.h"
#include "common/child_process.h"
#include "common/file_util.h"
#include "store/local_artifact_store.h"
#include "store/store_url.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

struct Manifest {
  std::string format;  // store::kBackupSqlite or store::kBackupPgDump.
  fs::path metadata;
};

Result<Manifest> ReadManifest(const fs::path& source) {
  Result<std::string> text = ReadFile(source / kBackupManifest);
  if (!text.ok()) {
    return Status::InvalidArgument(source.string() + " is not a complete grove backup: it has no " + kBackupManifest +
                                   " (grove backup writes it last, so an interrupted backup has none)");
  }
  Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.value("format", "") != "grove-backup" || !json.contains("metadata") ||
      !json["metadata"].is_object()) {
    return Status::InvalidArgument(source.string() + "/" + kBackupManifest + " is not a grove backup's manifest");
  }
  if (json.value("version", 0) != 1) {
    return Status::InvalidArgument(source.string() + " is a backup of version " +
                                   std::to_string(json.value("version", 0)) + "; this grove reads version 1");
  }
  Manifest m{json["metadata"].value("format", ""), source / json["metadata"].value("file", "")};
  if (m.format != store::kBackupSqlite && m.format != store::kBackupPgDump) {
    return Status::InvalidArgument(source.string() + "/" + kBackupManifest + ": unknown metadata format '" + m.format +
                                   "'");
  }
  std::error_code ec;
  if (!fs::is_regular_file(m.metadata, ec)) {
    return Status::InvalidArgument(source.string() + " lacks its metadata file " + m.metadata.string());
  }
  return m;
}

// Stores the backup's artifact `digest` in `home`'s artifact store, hashed again; adds the URI it got to `uris`.
Status RestoreArtifact(const fs::path& source, const std::string& digest, Home& home,
                       std::map<std::string, std::string>* uris, RestoreReport* report) {
  const fs::path path = source / "artifacts" / "sha256" / digest.substr(0, 2) / digest;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    return Status::NotFound("the backup " + source.string() + " lacks artifact " + digest +
                            ", which its metadata names: it is incomplete");
  }
  ASSIGN_OR_RETURN(store::ArtifactRecord stored, home.artifacts()->Put(path));
  if (stored.digest != digest) {
    return Status::IOError("the backup's artifact " + path.string() + " is corrupt (its content's digest is " +
                           stored.digest + ")");
  }
  (*uris)[digest] = stored.uri;
  ++report->artifacts;
  report->bytes += stored.size_bytes;
  return Status::OK();
}

// Every artifact of the backup (a pg_dump's metadata cannot be read before it is restored).
Status RestoreAllArtifacts(const fs::path& source, Home& home, RestoreReport* report) {
  std::map<std::string, std::string> uris;
  std::error_code ec;
  for (fs::directory_iterator shard(source / "artifacts" / "sha256", ec), end; shard != end; shard.increment(ec)) {
    for (fs::directory_iterator it(shard->path(), ec), last; it != last; it.increment(ec)) {
      const std::string digest = it->path().filename().string();
      if (store::IsSha256Digest(digest)) RETURN_IF_ERROR(RestoreArtifact(source, digest, home, &uris, report));
    }
  }
  if (ec) return Status::IOError("cannot read " + (source / "artifacts").string() + ": " + ec.message());
  return Status::OK();
}

// A SQLite backup, from a scratch copy (opening a store may migrate it): the artifacts its rows name (a backup
// may hold a few more, recorded after its snapshot), then the rows, into `home`'s metadata store with each
// artifact's URI there.
Result<store::StoreCopyStats> RestoreSqlite(const fs::path& source, const fs::path& file, Home& home,
                                            RestoreReport* report) {
  const fs::path scratch = home.root() / "restore-source.db";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch.string() + suffix, ec);
  fs::copy_file(file, scratch, ec);
  if (ec) return Status::IOError("cannot copy " + file.string() + " to " + scratch.string() + ": " + ec.message());
  Result<store::StoreCopyStats> copied = [&]() -> Result<store::StoreCopyStats> {
    ASSIGN_OR_RETURN(std::unique_ptr<store::MetadataStore> from, store::OpenSqliteMetadataStore(scratch.string()));
    std::map<std::string, std::string> uris;
    RETURN_IF_ERROR(ForEachRecordedArtifact(*from, [&](const store::ArtifactRecord& a) {
      return RestoreArtifact(source, a.digest, home, &uris, report);
    }));
    return store::CopyMetadataStore(*from, *home.metadata(), [&](const std::string& digest, const std::string& uri) {
      auto it = uris.find(digest);
      return it == uris.end() ? uri : it->second;
    });
  }();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch.string() + suffix, ec);
  return copied;
}

Status RunPgRestore(const fs::path& file, const std::string& url) {
  auto restored = RunChildProcess({"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                   "--dbname=" + url, file.string()});
  if (!restored.ok()) {
    return Status::FailedPrecondition("cannot run pg_restore (" + restored.status().message() +
                                      "): install PostgreSQL's client tools (Debian: postgresql-client)");
  }
  if (restored->exit_code != 0) {
    return Status::IOError("pg_restore of " + file.string() + " exited " + std::to_string(restored->exit_code) + ": " +
                           restored->err);
  }
  return Status::OK();
}

// The target: an empty or new folder (or --force), and a metadata store that holds nothing.
Result<std::unique_ptr<Home>> OpenTarget(const fs::path& root, const StoreLocations& stores,
                                         const RestoreOptions& options) {
  Status empty = RequireEmptyFolder(root, "data folder");
  if (!empty.ok() && !options.force) {
    return Status::FailedPrecondition(empty.message() +
                                      ": restore into a new or empty folder, or pass --force to replace its metadata");
  }
  std::error_code ec;
  if (!empty.ok() && stores.db.empty()) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove((root / "grove.db").string() + suffix, ec);
  }
  HomeOptions look;
  look.recover_orphans = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Home> home, Home::Open(root, stores, look));
  ASSIGN_OR_RETURN(std::vector<store::EventRecord> events, home->metadata()->ListEvents(0, 1));
  if (!events.empty()) {
    return Status::FailedPrecondition("the metadata store " + (stores.db.empty() ? (root / "grove.db").string() : stores.db) +
                                      " already holds records: restore into an empty one");
  }
  return home;
}

}  // namespace

Result<RestoreReport> RestoreHome(const fs::path& source, const fs::path& root, const StoreLocations& stores,
                                  const RestoreOptions& options,
                                  const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  ASSIGN_OR_RETURN(Manifest manifest, ReadManifest(source));
  if (manifest.format == store::kBackupPgDump) {
    ASSIGN_OR_RETURN(store::StoreUrl url, store::ParseStoreUrl(stores.db.empty() ? "grove.db" : stores.db));
    if (url.scheme != "postgresql") {
      return Status::InvalidArgument("the backup's metadata is a PostgreSQL dump (" + manifest.metadata.string() +
                                     "): restore it into PostgreSQL with --db postgresql://...");
    }
  }
  std::error_code ec;
  const fs::path target = fs::absolute(root, ec);
  ASSIGN_OR_RETURN(std::unique_ptr<Home> home, OpenTarget(target, stores, options));
  RestoreReport report;
  report.metadata_format = manifest.format;
  say("restoring the artifacts, then the metadata");
  if (manifest.format == store::kBackupSqlite) {
    ASSIGN_OR_RETURN(report.rows, RestoreSqlite(source, manifest.metadata, *home, &report));
  } else {
    RETURN_IF_ERROR(RestoreAllArtifacts(source, *home, &report));
    home.reset();  // pg_restore replaces the tables; the store is opened again on them.
    RETURN_IF_ERROR(RunPgRestore(manifest.metadata, stores.db));
    HomeOptions look;
    look.recover_orphans = false;
    ASSIGN_OR_RETURN(home, Home::Open(target, stores, look));
  }
  say("checking the restored folder");
  ASSIGN_OR_RETURN(report.doctor, RunDoctor(*home, DoctorOptions{}));
  return report;
}

}  // namespace grove::app
