#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "app/home.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/file_util.h"
#include "data/data_quality.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::cli {

namespace {

namespace fs = std::filesystem;

struct MonitorArgs {
  std::string endpoint;
  std::string since;  // ISO-8601 UTC, compared with each capture's inferenceTime as text.
  std::string baseline_statistics;
  std::string baseline_constraints;
  std::string output = "constraint_violations.json";
};

// What the endpoint's capture files hold since `since`: CSV request rows and the newest answering version.
struct CapturedRows {
  std::string csv;
  size_t rows = 0;
  size_t skipped = 0;  // Requests that were not CSV.
  std::string model;   // "group/N" of the newest captured request.
  std::string newest;  // Its inferenceTime.
};

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

// Every capture file of the endpoint (<home>/capture/<endpoint>/YYYY/MM/DD/HH.jsonl), read in time order.
Result<CapturedRows> ReadCaptures(const fs::path& folder, const std::string& since) {
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

Result<Json> ReadJsonPath(const fs::path& path, const std::string& what) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(what + ": " + path.string() + " is not JSON");
  return doc;
}

// The data-quality baseline attached to version `ref` ("group/N").
Result<std::pair<Json, Json>> VersionBaseline(app::Home& home, const std::string& ref) {
  size_t slash = ref.rfind('/');
  if (slash == std::string::npos) return Status::InvalidArgument("captured targetModel '" + ref + "' is no group/N");
  ASSIGN_OR_RETURN(store::ModelVersionRecord v,
                   home.metadata()->GetModelVersion(ref.substr(0, slash), std::stoi(ref.substr(slash + 1))));
  Json docs[2];
  const char* names[2] = {"data_statistics", "data_constraints"};
  for (int i = 0; i < 2; ++i) {
    if (!v.metrics.is_object() || !v.metrics.contains(names[i]) || !v.metrics[names[i]].is_string()) {
      return Status::NotFound(ref + " has no " + std::string(names[i]) +
                              " attached (RegisterModel's data_statistics and data_constraints; or give "
                              "--baseline-statistics and --baseline-constraints)");
    }
    ASSIGN_OR_RETURN(fs::path path, home.artifacts()->LocalPath(v.metrics[names[i]].get<std::string>()));
    ASSIGN_OR_RETURN(docs[i], ReadJsonPath(path, ref + " " + names[i]));
  }
  return std::make_pair(std::move(docs[0]), std::move(docs[1]));
}

int Run(const GlobalOptions& global, const MonitorArgs& args) {
  if (args.baseline_statistics.empty() != args.baseline_constraints.empty()) {
    return ReportError(Status::InvalidArgument("give both --baseline-statistics and --baseline-constraints, or neither"));
  }
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto captured = ReadCaptures((*home)->root() / "capture" / args.endpoint, args.since);
  if (!captured.ok()) return ReportError(captured.status());
  if (captured->rows == 0) {
    return ReportError(Status::NotFound("endpoint " + args.endpoint + " has no captured CSV requests" +
                                        (args.since.empty() ? "" : " since " + args.since) +
                                        (captured->skipped > 0 ? " (" + std::to_string(captured->skipped) +
                                                                     " requests were not CSV)"
                                                               : "")));
  }
  std::pair<Json, Json> baseline;
  std::string source;
  if (!args.baseline_constraints.empty()) {
    auto stats = ReadJsonPath(args.baseline_statistics, "--baseline-statistics");
    if (!stats.ok()) return ReportError(stats.status());
    auto constraints = ReadJsonPath(args.baseline_constraints, "--baseline-constraints");
    if (!constraints.ok()) return ReportError(constraints.status());
    baseline = {std::move(*stats), std::move(*constraints)};
    source = args.baseline_constraints;
  } else {
    auto found = VersionBaseline(**home, captured->model);
    if (!found.ok()) return ReportError(found.status());
    baseline = std::move(*found);
    source = captured->model;
  }
  TempDir dir;
  fs::path csv = dir.path() / "captured.csv";
  if (Status s = WriteFile(csv, captured->csv); !s.ok()) return ReportError(s);
  data::QualityDatasetOptions options;
  options.header = false;
  auto table = data::ReadQualityDataset(csv, options);
  if (!table.ok()) return ReportError(table.status().WithContext("the captured requests"));
  auto report = data::CheckDataQuality(*table, baseline.first, baseline.second);
  if (!report.ok()) return ReportError(report.status());
  if (Status s = WriteFile(args.output, report->dump(2)); !s.ok()) return ReportError(s);
  const Json& violations = (*report)["violations"];
  if (global.json) {
    PrintJson(std::cout, *report);
  } else {
    std::cout << captured->rows << " captured rows of " << args.endpoint << " checked against the baseline of "
              << source << ": " << violations.size() << " violation(s); " << args.output << " written\n";
    std::vector<std::vector<std::string>> rows;
    for (const Json& v : violations) {
      rows.push_back({v.value("feature_name", ""), v.value("constraint_check_type", ""), v.value("description", "")});
    }
    if (!rows.empty()) PrintTable(std::cout, {"FEATURE", "CHECK", "DESCRIPTION"}, rows);
  }
  return violations.empty() ? kExitOk : kExitFailed;
}

}  // namespace

void AddMonitorCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<MonitorArgs>();
  CLI::App* cmd = app.add_subcommand("monitor", "Data quality of an endpoint's captured requests");
  cmd->require_subcommand(1);
  CLI::App* run = cmd->add_subcommand(
      "run", "Check the captured requests against the served version's baseline; exits 1 on violations");
  run->add_option("endpoint", args->endpoint, "Endpoint name")->required();
  run->add_option("--since", args->since, "Only requests captured at or after this UTC ISO-8601 time (a prefix "
                                          "such as 2026-05-01T12 works)");
  run->add_option("--baseline-statistics", args->baseline_statistics, "statistics.json instead of the version's");
  run->add_option("--baseline-constraints", args->baseline_constraints, "constraints.json instead of the version's");
  run->add_option("--output", args->output, "Where to write constraint_violations.json")->capture_default_str();
  Bind(run, global, action, args, Run);
}

}  // namespace grove::cli
