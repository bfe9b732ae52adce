#include "app/doctor.h"

#include <algorithm>
#include <vector>

#include "app/artifact_checks.h"
#include "app/record_checks.h"

namespace grove::app {

Status Doctor::CheckRecords(DoctorReport* report) {
  const store::OwnerLiveness* owners =
      metadata_->owners() != nullptr ? metadata_->owners() : store::LocalOwnerLiveness();
  const TimeMs now = clock_->Now();
  return metadata_->Read([&](store::StoreReader& rows) -> Status {
    RETURN_IF_ERROR(CheckExecutions(rows, *owners, now, where_, report));
    RETURN_IF_ERROR(CheckQueue(rows, where_, report));
    RETURN_IF_ERROR(CheckRegistry(rows, where_, report));
    RETURN_IF_ERROR(CheckFirings(rows, where_, report));
    return CheckEvents(rows, where_, report);
  });
}

Status Doctor::RecoverOrphans(DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<std::string> failed, metadata_->FailExpiredExecutions(clock_->Now()));
  for (Finding& f : report->findings) {
    if (f.kind != "orphaned-execution") continue;
    bool done = std::any_of(failed.begin(), failed.end(), [&](const std::string& id) {
      return f.what.rfind("execution " + id + " ", 0) == 0;
    });
    f.repair = done ? "failed it and its unfinished steps (interrupted), as the next command would"
                    : "not failed: it is no longer orphaned (its owner renewed it or it ended)";
  }
  return Status::OK();
}

Status Doctor::CheckStoreFiles(DoctorReport* report) {
  ASSIGN_OR_RETURN(store::MetadataStore::IntegrityReport integrity, metadata_->CheckIntegrity());
  if (!integrity.checked) return Status::OK();
  report->checked["metadata integrity checks"] = 1;
  for (std::string& problem : integrity.problems) {
    report->Add("metadata-corrupt", Severity::kLost, "the store's own check reports: " + std::move(problem), where_);
  }
  return Status::OK();
}

Result<DoctorReport> Doctor::Run(const DoctorOptions& options) {
  DoctorReport report;
  RETURN_IF_ERROR(CheckStoreFiles(&report));
  // In a store its own check found damaged, reading its records may fail: that is a finding, not the end.
  const bool damaged = !report.OfKind("metadata-corrupt").empty();
  for (Status checked : {CheckRecords(&report), CheckArtifacts(*metadata_, *artifacts_, &report)}) {
    if (checked.ok()) continue;
    if (!damaged) return checked;
    report.Add("metadata-unreadable", Severity::kLost, "some records cannot be read: " + checked.message(), where_);
  }
  CheckTempFiles(artifacts_->TempFolders(), options.repair ? std::optional<TimeMs>(options.stale_temp_ms) : std::nullopt,
                 &report);
  if (!options.repair) return report;
  if (options.recover_orphans) {
    RETURN_IF_ERROR(RecoverOrphans(&report));
  } else {
    for (Finding& f : report.findings) {
      if (f.kind == "orphaned-execution") f.repair = "left to the servers sharing this metadata store (--db)";
    }
  }
  for (Finding& f : report.findings) {
    if (f.repair.empty() && f.severity == Severity::kLost) f.repair = "not repaired: restore it from a backup";
    if (f.kind == "temp-file" && f.repair.empty()) f.repair = "kept: touched within the last " +
                                                              std::to_string(options.stale_temp_ms / 1000) + " s";
  }
  return report;
}

Result<DoctorReport> RunDoctor(Home& home, DoctorOptions options) {
  options.recover_orphans = options.recover_orphans && home.RecoversOrphans();
  std::string where = home.stores().db.empty() ? (home.root() / "grove.db").string() : "the metadata store (--db)";
  Doctor doctor(home.metadata(), home.artifacts(), home.clock(), where);
  return doctor.Run(options);
}

}  // namespace grove::app
