#pragma once

#include <string>

#include "app/doctor_report.h"
#include "app/home.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::app {

struct DoctorOptions {
  // Fix what is safe to fix: fail orphaned executions as the next command
  // would (store::MetadataStore::FailExpiredExecutions; only when
  // `recover_orphans`), and remove temporary files untouched for
  // `stale_temp_ms`. Each finding says what was done about it.
  bool repair = false;
  // Default: one hour, as the artifact store does when it opens.
  TimeMs stale_temp_ms = 3'600'000;
  // Whether orphans are this process's to fail (Home::RecoversOrphans); with a
  // shared store they are left to the servers, which take them over.
  bool recover_orphans = true;
};

// grove doctor: checks the invariants of a data folder's stores and reports
// what it finds (app/doctor_report.h): the metadata's on one snapshot
// (app/record_checks.h), then every recorded artifact's bytes and the
// leftover temporary files (app/artifact_checks.h). Works on any backend,
// beside running processes; it changes nothing unless asked to repair.
class Doctor {
 public:
  // Not owned. `where` names the metadata store in findings (e.g. its file).
  Doctor(store::MetadataStore* metadata, store::ArtifactStore* artifacts, const Clock* clock, std::string where)
      : metadata_(metadata), artifacts_(artifacts), clock_(clock), where_(std::move(where)) {}

  // An error only when a store cannot be read.
  Result<DoctorReport> Run(const DoctorOptions& options);

 private:
  // The backend's own check of its files (MetadataStore::CheckIntegrity).
  Status CheckStoreFiles(DoctorReport* report);
  Status CheckRecords(DoctorReport* report);
  // Fails the orphans found, as the next command would.
  Status RecoverOrphans(DoctorReport* report);

  store::MetadataStore* metadata_;
  store::ArtifactStore* artifacts_;
  const Clock* clock_;
  std::string where_;
};

// A Doctor over `home`'s stores. Open `home` with HomeOptions{.recover_orphans
// = false} so that orphans are still there to be found.
Result<DoctorReport> RunDoctor(Home& home, DoctorOptions options);

}  // namespace grove::app
