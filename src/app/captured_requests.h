#pragma once

// What data capture (serving/data_capture.h) recorded of an endpoint's
// requests, read back for data-quality checks (`grove monitor run`, a
// promotion flow's gate), and the data-quality baseline of a version.

#include <filesystem>
#include <string>
#include <utility>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::app {

// What the endpoint's capture files hold since a time: CSV request rows and the newest answering version.
struct CapturedRows {
  std::string csv;
  size_t rows = 0;
  size_t skipped = 0;  // Requests that were not CSV.
  std::string model;   // "group/N" of the newest captured request.
  std::string newest;  // Its inferenceTime.
};

// The capture folder of `endpoint`: <home>/capture/<endpoint>.
std::filesystem::path CaptureFolder(Home& home, const std::string& endpoint);

// Every capture file under `folder` (<endpoint>/YYYY/MM/DD/HH.jsonl), read in
// time order; only requests whose inferenceTime is at or after `since`
// (ISO-8601 UTC, compared as text; empty: all). NotFound when the folder does
// not exist.
Result<CapturedRows> ReadCapturedRows(const std::filesystem::path& folder, const std::string& since);

// A JSON file; InvalidArgument naming `what` and the path when it is not JSON.
Result<Json> ReadJsonFile(const std::filesystem::path& path, const std::string& what);

// The data-quality baseline attached to version `ref` ("group/N"): its
// data_statistics and data_constraints documents. NotFound when it has none.
Result<std::pair<Json, Json>> VersionBaseline(Home& home, const std::string& ref);

// The data-quality report (constraint_violations.json's layout) of headerless
// CSV feature rows `csv` against `baseline`.
Result<Json> CheckCsvQuality(const std::string& csv, const std::pair<Json, Json>& baseline);

}  // namespace grove::app
