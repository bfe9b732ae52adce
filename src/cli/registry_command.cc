#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/record_json.h"
#include "common/file_util.h"

namespace grove::cli {

namespace {

struct RegistryArgs {
  std::string target;  // A group, or <group>/<version>.
  std::string comment;
  std::string by;
};

// The main metric values of a version, from its evaluation report.
std::string MetricsSummary(Home& home, const store::ModelVersionRecord& v) {
  if (!v.metrics.contains("model_quality")) return "";
  auto path = home.artifacts()->LocalPath(v.metrics["model_quality"].get<std::string>());
  if (!path.ok()) return "";
  auto text = ReadFile(*path);
  if (!text.ok()) return "";
  Json report = Json::parse(*text, nullptr, false);
  std::string out;
  for (const auto& [group, metrics] : report.items()) {
    if (group == "register_metric" || !metrics.is_object()) continue;
    for (const auto& [name, m] : metrics.items()) {
      if (!m.is_object() || !m.contains("value") || !m["value"].is_number()) continue;
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%s=%.4g", name.c_str(), m["value"].get<double>());
      out += (out.empty() ? "" : " ") + std::string(buf);
    }
  }
  return out;
}

int ListGroups(const GlobalOptions& global, const RegistryArgs&) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto groups = (*home)->registry()->Groups();
  if (!groups.ok()) return ReportError(groups.status());
  if (global.json) {
    Json out = Json::array();
    for (const auto& g : *groups) out.push_back(ToJson(g));
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : *groups) rows.push_back({g.name, std::to_string(g.version_count), FormatTime(g.created_at)});
  PrintTable(std::cout, {"GROUP", "VERSIONS", "CREATED"}, rows);
  return kExitOk;
}

int ListVersions(const GlobalOptions& global, const RegistryArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto versions = (*home)->registry()->Versions(args.target);
  if (!versions.ok()) return ReportError(versions.status());
  if (global.json) {
    Json out = Json::array();
    for (const auto& v : *versions) out.push_back(ToJson(v));
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : *versions) {
    rows.push_back({std::to_string(v.version), v.approval_status, FormatTime(v.created_at), v.execution_id,
                    MetricsSummary(**home, v)});
  }
  PrintTable(std::cout, {"VERSION", "STATUS", "CREATED", "EXECUTION", "METRICS"}, rows);
  return kExitOk;
}

int ShowVersion(const GlobalOptions& global, const RegistryArgs& args) {
  auto ref = registry::Registry::ParseVersionRef(args.target);
  if (!ref.ok()) return ReportError(ref.status());
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto v = (*home)->registry()->Get(ref->first, ref->second);
  if (!v.ok()) return ReportError(v.status());
  if (global.json) {
    PrintJson(std::cout, ToJson(*v));
    return kExitOk;
  }
  std::cout << "model version  " << v->group << "/" << v->version << "\nstatus         " << v->approval_status
            << "\ncomment        " << v->approval_comment << "\nchanged by     " << v->approved_by << " at "
            << FormatTime(v->approval_changed_at) << "\ncreated        " << FormatTime(v->created_at)
            << "\nexecution      " << v->execution_id << " (step " << v->step_name << ")\nmodel          "
            << v->model_digest << "\nmetrics        " << MetricsSummary(**home, *v) << "\n";
  return kExitOk;
}

int ChangeApproval(const GlobalOptions& global, const RegistryArgs& args, bool approve) {
  auto ref = registry::Registry::ParseVersionRef(args.target);
  if (!ref.ok()) return ReportError(ref.status());
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  std::string by = args.by.empty() ? CurrentUser() : args.by;
  auto* reg = (*home)->registry();
  auto v = approve ? reg->Approve(ref->first, ref->second, args.comment, by)
                   : reg->Reject(ref->first, ref->second, args.comment, by);
  if (!v.ok()) return ReportError(v.status());
  if (global.json) {
    PrintJson(std::cout, ToJson(*v));
  } else {
    std::cout << v->group << "/" << v->version << " is now " << v->approval_status << "\n";
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
    sub->callback([&global, action, args, fn] { *action = [&global, args, fn] { return fn(global, *args); }; });
  };
  bind(cmd->add_subcommand("groups", "List model groups"), ListGroups);
  CLI::App* versions = cmd->add_subcommand("versions", "List a group's versions");
  versions->add_option("group", args->target, "Model group")->required();
  bind(versions, ListVersions);
  CLI::App* show = cmd->add_subcommand("show", "Show one version");
  show->add_option("version", args->target, "<group>/<version>")->required();
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
