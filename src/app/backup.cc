#include "app/backup.h"

#include "app/artifact_checks.h"
#include "common/file_util.h"
#include "store/local_artifact_store.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

// Copies every recorded artifact of `home` into the local store `copies`, hashing each again.
Status CopyArtifacts(Home& home, store::ArtifactStore& copies, BackupReport* report) {
  return ForEachRecordedArtifact(*home.metadata(), [&](const store::ArtifactRecord& a) -> Status {
    Result<fs::path> path = home.artifacts()->LocalPath(a.digest);
    if (!path.ok()) {
      return Status::NotFound("artifact " + a.digest + " is recorded but missing from " + home.root().string() +
                              " (" + path.status().message() + "): run grove doctor; the backup is incomplete");
    }
    ASSIGN_OR_RETURN(store::ArtifactRecord copied, copies.Put(*path));
    if (copied.digest != a.digest) {
      return Status::IOError("artifact " + a.digest + " at " + path->string() + " is corrupt (its content's digest is " +
                             copied.digest + "): run grove doctor; the backup is incomplete");
    }
    ++report->artifacts;
    report->bytes += copied.size_bytes;
    return Status::OK();
  });
}

}  // namespace

Status RequireEmptyFolder(const fs::path& folder, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return Status::OK();
  if (!fs::is_directory(folder, ec)) return Status::AlreadyExists(what + " " + folder.string() + " is a file");
  if (!fs::is_empty(folder, ec)) return Status::AlreadyExists(what + " " + folder.string() + " is not empty");
  return Status::OK();
}

Result<BackupReport> BackupHome(Home& home, const fs::path& destination,
                                const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  std::error_code ec;
  const fs::path dest = fs::absolute(destination, ec);
  Status empty = RequireEmptyFolder(dest, "backup folder");
  if (!empty.ok()) return Status::AlreadyExists(empty.message() + ": back up into a new folder");
  RETURN_IF_ERROR(MakeDirs(dest));
  BackupReport report;
  say("taking a snapshot of the metadata");
  const fs::path staged = dest / "metadata.partial";
  ASSIGN_OR_RETURN(report.metadata_format, home.metadata()->Backup(staged));
  report.metadata_file = dest / (report.metadata_format == store::kBackupSqlite ? "grove.db" : "metadata.pgdump");
  fs::rename(staged, report.metadata_file, ec);
  if (ec) return Status::IOError("cannot rename " + staged.string() + ": " + ec.message());
  say("copying the artifacts");
  {
    ASSIGN_OR_RETURN(std::unique_ptr<store::ArtifactStore> copies, store::OpenLocalArtifactStore(dest / "artifacts"));
    RETURN_IF_ERROR(CopyArtifacts(home, *copies, &report));
  }
  fs::remove(dest / "artifacts" / "tmp", ec);  // Empty: the copies are all in place.
  Json manifest = {{"format", "grove-backup"},
                   {"version", 1},
                   {"created_at", FormatIso8601(home.clock()->Now())},
                   {"source", home.root().string()},
                   {"metadata", {{"format", report.metadata_format}, {"file", report.metadata_file.filename().string()}}},
                   {"artifacts", report.artifacts},
                   {"bytes", report.bytes}};
  RETURN_IF_ERROR(WriteFileAtomic(dest / kBackupManifest, manifest.dump(2) + "\n"));
  return report;
}

}  // namespace grove::app
