#include <CLI/CLI.hpp>

#include <iostream>

#include "app/captured_requests.h"
#include "app/home.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/file_util.h"

namespace grove::cli {

namespace {

struct MonitorArgs {
  std::string endpoint;
  std::string since;  // ISO-8601 UTC, compared with each capture's inferenceTime as text.
  std::string baseline_statistics;
  std::string baseline_constraints;
  std::string output = "constraint_violations.json";
};

int Run(const GlobalOptions& global, const MonitorArgs& args) {
  if (args.baseline_statistics.empty() != args.baseline_constraints.empty()) {
    return ReportError(Status::InvalidArgument("give both --baseline-statistics and --baseline-constraints, or neither"));
  }
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto captured = app::ReadCapturedRows(app::CaptureFolder(**home, args.endpoint), args.since);
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
    auto stats = app::ReadJsonFile(args.baseline_statistics, "--baseline-statistics");
    if (!stats.ok()) return ReportError(stats.status());
    auto constraints = app::ReadJsonFile(args.baseline_constraints, "--baseline-constraints");
    if (!constraints.ok()) return ReportError(constraints.status());
    baseline = {std::move(*stats), std::move(*constraints)};
    source = args.baseline_constraints;
  } else {
    auto found = app::VersionBaseline(**home, captured->model);
    if (!found.ok()) return ReportError(found.status());
    baseline = std::move(*found);
    source = captured->model;
  }
  auto report = app::CheckCsvQuality(captured->csv, baseline);
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
