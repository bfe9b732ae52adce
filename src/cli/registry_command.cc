#include <CLI/CLI.hpp>

#include <iostream>

#include "app/model_registry.h"
#include "app/record_json.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/report_text.h"

namespace grove::cli {

namespace {

struct RegistryArgs {
  std::string target;  // A group, or <group>/<version>.
  std::string comment;
  std::string by;
  bool report = false;
};

// The headline metrics of a version's evaluation report; empty without one.
std::string Metrics(app::ModelRegistry& registry, const store::ModelVersionRecord& v) {
  auto report = registry.Report(v);
  return report.ok() ? app::MetricsSummary(report->report) : "";
}

int ListGroups(const GlobalOptions& global, const RegistryArgs&) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto groups = app::ModelRegistry(**home).Groups();
  if (!groups.ok()) return ReportError(groups.status());
  if (global.json) {
    PrintJson(std::cout, app::ToJsonArray(*groups));
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : *groups) rows.push_back({g.name, std::to_string(g.version_count), FormatTime(g.created_at)});
  PrintTable(std::cout, {"GROUP", "VERSIONS", "CREATED"}, rows);
  return kExitOk;
}

int ListVersions(const GlobalOptions& global, const RegistryArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  app::ModelRegistry registry(**home);
  auto versions = registry.Versions(args.target);
  if (!versions.ok()) return ReportError(versions.status());
  if (global.json) {
    PrintJson(std::cout, app::ToJsonArray(*versions));
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : *versions) {
    rows.push_back({std::to_string(v.version), v.approval_status, FormatTime(v.created_at), v.execution_id,
                    Metrics(registry, v)});
  }
  PrintTable(std::cout, {"VERSION", "STATUS", "CREATED", "EXECUTION", "METRICS"}, rows);
  return kExitOk;
}

// Who changed the approval status and when; a version never reviewed says so.
std::string ChangedBy(const store::ModelVersionRecord& v) {
  if (v.approval_changed_at <= 0) return "not reviewed yet";
  std::string by = v.approved_by.empty() ? "its registration" : v.approved_by;
  return by + " at " + FormatTime(v.approval_changed_at);
}

void PrintVersion(const store::ModelVersionRecord& v, const std::string& metrics) {
  std::cout << "model version  " << store::VersionRef(v.group, v.version) << "\nstatus         "
            << v.approval_status << "\n";
  if (!v.approval_comment.empty()) std::cout << "comment        " << v.approval_comment << "\n";
  std::cout << "changed by     " << ChangedBy(v) << "\ncreated        " << FormatTime(v.created_at)
            << "\nexecution      " << (v.execution_id.empty() ? "-" : v.execution_id + " (step " + v.step_name + ")")
            << "\nmodel          " << v.model_digest << "\n";
  if (v.metadata.is_object() && v.metadata.contains("transform") && v.metadata["transform"].is_string()) {
    std::cout << "transform      " << v.metadata["transform"].get<std::string>() << "\n";
  }
  if (v.metrics.is_object() && v.metrics.contains("model_quality") && v.metrics["model_quality"].is_string()) {
    std::cout << "report         " << v.metrics["model_quality"].get<std::string>() << "  (--report prints it)\n";
  }
  std::cout << "metrics        " << (metrics.empty() ? "-" : metrics) << "\n";
}

int ShowVersion(const GlobalOptions& global, const RegistryArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  app::ModelRegistry registry(**home);
  auto v = registry.Get(args.target);
  if (!v.ok()) return ReportError(v.status());
  auto report = registry.Report(*v);
  if (args.report && !report.ok()) return ReportError(report.status());
  if (global.json) {
    PrintJson(std::cout, args.report ? app::ToJson(*v, *report) : app::ToJson(*v));
    return kExitOk;
  }
  PrintVersion(*v, report.ok() ? app::MetricsSummary(report->report) : "");
  if (args.report) {
    std::cout << "\nevaluation report " << report->digest << "\n";
    PrintEvaluationReport(std::cout, report->report);
  }
  return kExitOk;
}

int ChangeApproval(const GlobalOptions& global, const RegistryArgs& args, bool approve) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  std::string by = args.by.empty() ? CurrentUser() : args.by;
  app::ModelRegistry registry(**home);
  auto v = approve ? registry.Approve(args.target, args.comment, by) : registry.Reject(args.target, args.comment, by);
  if (!v.ok()) return ReportError(v.status());
  if (global.json) {
    PrintJson(std::cout, app::ToJson(*v));
  } else {
    std::cout << store::VersionRef(v->group, v->version) << " is now " << v->approval_status << "\n";
  }
  return kExitOk;
}

int Approve(const GlobalOptions& g, const RegistryArgs& a) { return ChangeApproval(g, a, true); }
int Reject(const GlobalOptions& g, const RegistryArgs& a) { return ChangeApproval(g, a, false); }

}  // namespace

void AddRegistryCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<RegistryArgs>();
  CLI::App* cmd = app.add_subcommand("registry", "Model groups, versions and approvals");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const RegistryArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  bind(cmd->add_subcommand("groups", "List model groups"), ListGroups);
  CLI::App* versions = cmd->add_subcommand("versions", "List a group's versions");
  versions->add_option("group", args->target, "Model group")->required();
  bind(versions, ListVersions);
  CLI::App* show = cmd->add_subcommand("show", "Show one version, its artifacts and metrics");
  show->add_option("version", args->target, "<group>/<version>")->required();
  show->add_flag("--report", args->report,
                 "Print the whole evaluation report: every metric, the confusion matrix, the curves");
  bind(show, ShowVersion);
  using Fn = int (*)(const GlobalOptions&, const RegistryArgs&);
  struct Change {
    const char* name;
    const char* help;
    Fn fn;
  };
  for (const Change& c : {Change{"approve", "Approve a version", Approve}, Change{"reject", "Reject a version", Reject}}) {
    auto [name, help, fn] = c;
    CLI::App* sub = cmd->add_subcommand(name, help);
    sub->add_option("version", args->target, "<group>/<version>")->required();
    sub->add_option("--comment", args->comment, "Why");
    sub->add_option("--by", args->by, "Who (default: $USER)");
    bind(sub, fn);
  }
}

}  // namespace grove::cli
