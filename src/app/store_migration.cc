#include "app/store_migration.h"

#include <map>
#include <vector>

#include "store/sql_connection.h"

namespace grove::app {

namespace {

// The digests of the artifacts `metadata` records, oldest first.
Result<std::vector<std::string>> RecordedDigests(store::MetadataStore& metadata) {
  std::vector<std::string> digests;
  RETURN_IF_ERROR(metadata.ReadSql([&](store::SqlConnection& db) -> Status {
    ASSIGN_OR_RETURN(store::Statement select, db.Prepare("SELECT digest FROM artifacts ORDER BY rowid"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return Status::OK();
      digests.push_back(select.Text(0));
    }
  }));
  return digests;
}

class ArtifactCopier {
 public:
  ArtifactCopier(Home& from, Home& to, StoreMigrationReport* report) : from_(from), to_(to), report_(report) {}

  // Copies the artifacts of `digests` not copied yet.
  Status Copy(const std::vector<std::string>& digests) {
    for (const std::string& digest : digests) {
      if (uris_.count(digest) > 0) continue;
      Result<std::filesystem::path> path = from_.artifacts()->LocalPath(digest);
      if (!path.ok()) {
        return Status::NotFound("artifact " + digest + " is recorded in the metadata but missing from " +
                                from_.root().string() + "'s artifact store (" + path.status().message() +
                                "); nothing was written to the target metadata store");
      }
      ASSIGN_OR_RETURN(store::ArtifactRecord stored, to_.artifacts()->Put(*path));
      if (stored.digest != digest) {
        return Status::Internal("artifact " + digest + " was stored in the target as " + stored.digest +
                                ": its content in the source is damaged");
      }
      uris_[digest] = stored.uri;
      ++report_->artifacts_copied;
      report_->bytes_copied += stored.size_bytes;
    }
    return Status::OK();
  }

  // The URI an artifact has in the target (its old one when it was not copied).
  std::string UriOf(const std::string& digest, const std::string& old_uri) const {
    auto it = uris_.find(digest);
    return it == uris_.end() ? old_uri : it->second;
  }

 private:
  Home& from_;
  Home& to_;
  StoreMigrationReport* report_;
  std::map<std::string, std::string> uris_;
};

}  // namespace

Result<StoreMigrationReport> MigrateStores(Home& from, Home& to, bool copy_artifacts,
                                           const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  StoreMigrationReport report;
  ArtifactCopier copier(from, to, &report);
  if (copy_artifacts) {
    ASSIGN_OR_RETURN(std::vector<std::string> digests, RecordedDigests(*from.metadata()));
    say("copying " + std::to_string(digests.size()) + " artifacts");
    RETURN_IF_ERROR(copier.Copy(digests));
  }
  say("copying the metadata");
  ASSIGN_OR_RETURN(report.rows, store::CopyMetadataStore(*from.metadata(), *to.metadata(),
                                                         [&](const std::string& digest, const std::string& uri) {
                                                           return copier.UriOf(digest, uri);
                                                         }));
  if (copy_artifacts) {
    // Artifacts a running writer recorded between the two steps.
    ASSIGN_OR_RETURN(std::vector<std::string> digests, RecordedDigests(*to.metadata()));
    RETURN_IF_ERROR(copier.Copy(digests));
  }
  return report;
}

}  // namespace grove::app
