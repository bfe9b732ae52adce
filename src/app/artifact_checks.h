#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "app/doctor_report.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::app {

// Calls `fn` with every artifact `metadata` records, by digest, reading a
// page of rows at a time (each page one snapshot); stops at `fn`'s first error.
Status ForEachRecordedArtifact(store::MetadataStore& metadata,
                               const std::function<Status(const store::ArtifactRecord&)>& fn);

// Every artifact `metadata` records is in `artifacts` ("artifact-missing")
// and its content has its digest ("artifact-corrupt"), recomputed from the
// bytes (a directory by its tree digest); both lost. Artifacts are read after
// their rows (a page at a time), which is safe beside writers: an artifact
// is immutable once recorded.
Status CheckArtifacts(store::MetadataStore& metadata, store::ArtifactStore& artifacts, DoctorReport* report);

// Entries left in `folders` (an artifact store's TempFolders) by Puts that
// did not finish: warnings ("temp-file"), with their age. When `remove_after_ms`
// is set, those untouched for at least that long are removed (a Put in
// progress keeps touching its file, so a younger one may be live).
void CheckTempFiles(const std::vector<std::filesystem::path>& folders, std::optional<TimeMs> remove_after_ms,
                    DoctorReport* report);

}  // namespace grove::app
