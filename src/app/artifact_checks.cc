#include "app/artifact_checks.h"

#include <chrono>

#include "common/file_util.h"
#include "common/sha256.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

constexpr int kPage = 1000;

// Checks one recorded artifact's presence and content.
void CheckOne(store::ArtifactStore& artifacts, const store::ArtifactRecord& a, DoctorReport* report) {
  const std::string name = "artifact " + a.digest + (a.is_directory ? " (a folder)" : "");
  Result<fs::path> path = artifacts.LocalPath(a.digest);
  if (!path.ok()) {
    bool missing = path.status().code() == StatusCode::kNotFound;
    report->Add(missing ? "artifact-missing" : "artifact-unreadable", Severity::kLost,
                name + " is recorded but " + (missing ? "missing" : "unreadable") + ": " + path.status().message(),
                a.uri);
    return;
  }
  Result<std::string> digest = Sha256Path(*path);
  if (!digest.ok()) {
    report->Add("artifact-unreadable", Severity::kLost, name + " cannot be read: " + digest.status().message(),
                path->string());
  } else if (*digest != a.digest) {
    report->Add("artifact-corrupt", Severity::kLost, name + " has content whose digest is " + *digest, path->string());
  }
}

}  // namespace

Status ForEachRecordedArtifact(store::MetadataStore& metadata,
                               const std::function<Status(const store::ArtifactRecord&)>& fn) {
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::ArtifactRecord> page,
                     store::ReadValue(metadata, [&](store::StoreReader& rows) { return rows.ListArtifacts(after, kPage); }));
    for (const store::ArtifactRecord& a : page) RETURN_IF_ERROR(fn(a));
    if (static_cast<int>(page.size()) < kPage) return Status::OK();
    after = page.back().digest;
  }
}

Status CheckArtifacts(store::MetadataStore& metadata, store::ArtifactStore& artifacts, DoctorReport* report) {
  return ForEachRecordedArtifact(metadata, [&](const store::ArtifactRecord& a) {
    CheckOne(artifacts, a, report);
    report->checked["artifacts"] += 1;
    return Status::OK();
  });
}

void CheckTempFiles(const std::vector<fs::path>& folders, std::optional<TimeMs> remove_after_ms, DoctorReport* report) {
  const auto now = fs::file_time_type::clock::now();
  for (const fs::path& folder : folders) {
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; it != end; it.increment(ec)) {
      if (ec) break;
      auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - NewestWrite(it->path())).count();
      report->Add("temp-file", Severity::kWarning,
                  "a temporary " + std::string(it->is_directory(ec) ? "folder" : "file") + " left by an unfinished write, untouched for " +
                      std::to_string(age / 1000) + " s",
                  it->path().string());
      report->checked["temp files"] += 1;
      if (!remove_after_ms || age < *remove_after_ms) continue;
      std::error_code removed;
      fs::remove_all(it->path(), removed);
      report->findings.back().repair = removed ? "could not remove it: " + removed.message() : "removed";
    }
  }
}

}  // namespace grove::app
