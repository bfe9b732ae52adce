#include "app/captured_requests.h"

#include <algorithm>

#include "common/file_util.h"
#include "data/data_quality.h"
#include "registry/registry.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

// Appends the CSV request rows of one capture line.
void AddCaptureLine(const std::string& line, const std::string& since, CapturedRows* out) {
  Json event = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object() || !event.contains("captureData") || !event["captureData"].is_object()) return;
  const Json meta = event.value("eventMetadata", Json::object());
  const std::string time = meta.is_object() ? meta.value("inferenceTime", "") : "";
  if (!since.empty() && time < since) return;
  const Json& capture = event["captureData"];
  const Json input = capture.value("endpointInput", Json::object());
  if (!input.is_object() || input.value("encoding", "") != "CSV" || !input.contains("data") ||
      !input["data"].is_string()) {
    ++out->skipped;
    return;
  }
  std::string data = input["data"].get<std::string>();
  size_t start = 0;
  while (start < data.size()) {
    size_t end = std::min(data.find('\n', start), data.size());
    std::string row = data.substr(start, end - start);
    if (!row.empty() && row.back() == '\r') row.pop_back();
    if (!row.empty()) {
      out->csv += row + "\n";
      ++out->rows;
    }
    start = end + 1;
  }
  if (time >= out->newest && meta.is_object() && meta.contains("targetModel") && meta["targetModel"].is_string()) {
    out->newest = time;
    out->model = meta["targetModel"].get<std::string>();
  }
}

}  // namespace

// Every capture file of the endpoint (<home>/capture/<endpoint>/YYYY/MM/DD/HH.jsonl), read in time order.
Result<CapturedRows> ReadCapturedRows(const fs::path& folder, const std::string& since) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return Status::NotFound("no captured requests at " + folder.string() +
                            " (an endpoint captures with `grove endpoint create --capture-percent`, when served by "
                            "`grove server`)");
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".jsonl") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  CapturedRows out;
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    size_t start = 0;
    while (start < text.size()) {
      size_t end = std::min(text.find('\n', start), text.size());
      if (end > start) AddCaptureLine(text.substr(start, end - start), since, &out);
      start = end + 1;
    }
  }
  return out;
}

Result<Json> ReadJsonFile(const fs::path& path, const std::string& what) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(what + ": " + path.string() + " is not JSON");
  return doc;
}

// The data-quality baseline attached to version `ref` ("group/N").
Result<std::pair<Json, Json>> VersionBaseline(Home& home, const std::string& ref) {
  size_t slash = ref.rfind('/');
  if (slash == std::string::npos) return Status::InvalidArgument("captured targetModel '" + ref + "' is no group/N");
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  ASSIGN_OR_RETURN(store::ModelVersionRecord v, home.metadata()->GetModelVersion(parsed.first, parsed.second));
  Json docs[2];
  const char* names[2] = {"data_statistics", "data_constraints"};
  for (int i = 0; i < 2; ++i) {
    if (!v.metrics.is_object() || !v.metrics.contains(names[i]) || !v.metrics[names[i]].is_string()) {
      return Status::NotFound(ref + " has no " + std::string(names[i]) +
                              " attached (RegisterModel's data_statistics and data_constraints; or give "
                              "--baseline-statistics and --baseline-constraints)");
    }
    ASSIGN_OR_RETURN(fs::path path, home.artifacts()->LocalPath(v.metrics[names[i]].get<std::string>()));
    ASSIGN_OR_RETURN(docs[i], ReadJsonFile(path, ref + " " + names[i]));
  }
  return std::make_pair(std::move(docs[0]), std::move(docs[1]));
}

fs::path CaptureFolder(Home& home, const std::string& endpoint) { return home.root() / "capture" / endpoint; }

Result<Json> CheckCsvQuality(const std::string& csv, const std::pair<Json, Json>& baseline) {
  TempDir dir;
  fs::path path = dir.path() / "captured.csv";
  RETURN_IF_ERROR(WriteFile(path, csv));
  data::QualityDatasetOptions options;
  options.header = false;
  Result<data::Table> table = data::ReadQualityDataset(path, options);
  if (!table.ok()) return table.status().WithContext("the captured requests");
  return data::CheckDataQuality(*table, baseline.first, baseline.second);
}

}  // namespace grove::app
