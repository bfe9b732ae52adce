#include <CLI/CLI.hpp>

#include <iostream>

#include "app/model_registry.h"
#include "app/record_json.h"
#include "data/data_quality.h"
#include "cli/bind.h"
#include "cli/client.h"
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
  bool baselines = false;
};

// The headline metrics of a version's evaluation report; empty without one.
std::string Metrics(Client& client, const std::string& ref) {
  auto report = client.ModelVersionReport(ref);
  return report.ok() ? app::MetricsSummary((*report)["report"]) : "";
}

std::string Ref(const Json& v) { return store::VersionRef(v["group"], v["version"].get<int>()); }

int ListGroups(const GlobalOptions& global, const RegistryArgs&) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto groups = (*client)->ListModelGroups();
  if (!groups.ok()) return ReportError(groups.status());
  if (global.json) {
    PrintJson(std::cout, *groups);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& g : *groups) rows.push_back({g["name"], g["versions"].dump(), FormatTime(g["created_at"])});
  PrintTable(std::cout, {"GROUP", "VERSIONS", "CREATED"}, rows);
  return kExitOk;
}

int ListVersions(const GlobalOptions& global, const RegistryArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto versions = (*client)->ListModelVersions(args.target);
  if (!versions.ok()) return ReportError(versions.status());
  if (global.json) {
    PrintJson(std::cout, *versions);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& v : *versions) {
    rows.push_back({v["version"].dump(), v["approval_status"], FormatTime(v["created_at"]), v["execution_id"],
                    Metrics(**client, Ref(v))});
  }
  PrintTable(std::cout, {"VERSION", "STATUS", "CREATED", "EXECUTION", "METRICS"}, rows);
  return kExitOk;
}

// Who changed the approval status and when; a version never reviewed says so.
std::string ChangedBy(const Json& v) {
  if (!v["approval_changed_at"].is_string()) return "not reviewed yet";
  std::string by = v["approval_changed_by"];
  return (by.empty() ? "its registration" : by) + " at " + FormatTime(v["approval_changed_at"]);
}

// A string member of an object member ("metadata"."transform"), if there is one.
std::string Member(const Json& v, const char* object, const char* name) {
  const Json& o = v[object];
  return o.is_object() && o.contains(name) && o[name].is_string() ? o[name].get<std::string>() : "";
}

// The quality baselines RegisterModel attaches by name to a version's metrics map.
constexpr const char* kBaselineNames[] = {"data_statistics", "data_constraints", "model_statistics",
                                          "model_constraints"};

void PrintVersion(const Json& v, const std::string& metrics) {
  std::string comment = v["approval_comment"], execution = v["execution_id"];
  std::cout << "model version  " << Ref(v) << "\nstatus         " << v["approval_status"].get<std::string>() << "\n";
  if (!comment.empty()) std::cout << "comment        " << comment << "\n";
  std::cout << "changed by     " << ChangedBy(v) << "\ncreated        " << FormatTime(v["created_at"])
            << "\nexecution      "
            << (execution.empty() ? "-" : execution + " (step " + v["step"].get<std::string>() + ")")
            << "\nmodel          " << v["model"].get<std::string>() << "\n";
  if (std::string transform = Member(v, "metadata", "transform"); !transform.empty()) {
    std::cout << "transform      " << transform << "\n";
  }
  if (std::string report = Member(v, "metrics", "model_quality"); !report.empty()) {
    std::cout << "report         " << report << "  (--report prints it)\n";
  }
  std::cout << "metrics        " << (metrics.empty() ? "-" : metrics) << "\n";
  int baselines = 0;
  for (const char* name : kBaselineNames) baselines += !Member(v, "metrics", name).empty();
  if (baselines > 0) std::cout << "baselines      " << baselines << " attached  (--baselines lists them)\n";
}

// One attached baseline: its name, digest and key figures (item_count, features, constraints).
Json BaselineSummary(Client& client, const std::string& name, const std::string& digest) {
  Json out = {{"name", name}, {"digest", digest}};
  auto bytes = client.ReadArtifact(digest);
  Json doc = bytes.ok() ? Json::parse(*bytes, nullptr, /*allow_exceptions=*/false) : Json();
  if (!bytes.ok() || !doc.is_object()) {
    out["error"] = bytes.ok() ? "not a JSON object" : bytes.status().message();
    return out;
  }
  if (doc.contains("dataset") && doc["dataset"].is_object() && doc["dataset"].contains("item_count")) {
    out["item_count"] = doc["dataset"]["item_count"];
  }
  if (doc.contains("features") && doc["features"].is_array()) out["features"] = doc["features"].size();
  if (name.ends_with("_constraints")) out["constraints"] = data::CountConstraints(doc);
  for (const char* key : {"regression_metrics", "binary_classification_metrics"}) {
    if (doc.contains(key)) out["problem"] = key;
  }
  return out;
}

Json Baselines(Client& client, const Json& version) {
  Json out = Json::array();
  const Json& metrics = version["metrics"];
  if (!metrics.is_object()) return out;
  for (const char* name : kBaselineNames) {
    if (metrics.contains(name) && metrics[name].is_string()) {
      out.push_back(BaselineSummary(client, name, metrics[name].get<std::string>()));
    }
  }
  return out;
}

void PrintBaselines(const Json& baselines) {
  std::cout << "\nbaselines\n";
  if (baselines.empty()) {
    std::cout << "  none attached (RegisterModel's data_statistics, data_constraints, model_statistics, "
                 "model_constraints)\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  auto figure = [](const Json& b, const char* key) { return b.contains(key) ? b[key].dump() : std::string("-"); };
  for (const Json& b : baselines) {
    rows.push_back({b["name"], b["digest"], figure(b, "item_count"), figure(b, "features"), figure(b, "constraints"),
                    b.contains("error") ? b["error"].get<std::string>() : ""});
  }
  PrintTable(std::cout, {"BASELINE", "DIGEST", "ITEMS", "FEATURES", "CONSTRAINTS", ""}, rows);
}

int ShowVersion(const GlobalOptions& global, const RegistryArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto v = (*client)->DescribeModelVersion(args.target);
  if (!v.ok()) return ReportError(v.status());
  auto report = (*client)->ModelVersionReport(args.target);
  if (args.report && !report.ok()) return ReportError(report.status());
  if (global.json) {
    Json out = *v;
    if (args.report) out["report"] = (*report)["report"];
    if (args.baselines) out["baselines"] = Baselines(**client, *v);
    PrintJson(std::cout, out);
    return kExitOk;
  }
  PrintVersion(*v, report.ok() ? app::MetricsSummary((*report)["report"]) : "");
  if (args.report) {
    std::cout << "\nevaluation report " << (*report)["digest"].get<std::string>() << "\n";
    PrintEvaluationReport(std::cout, (*report)["report"]);
  }
  if (args.baselines) PrintBaselines(Baselines(**client, *v));
  return kExitOk;
}

int ChangeApproval(const GlobalOptions& global, const RegistryArgs& args, bool approve) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto v = (*client)->ChangeApproval(args.target, approve, args.comment, args.by);
  if (!v.ok()) return ReportError(v.status());
  if (global.json) {
    PrintJson(std::cout, *v);
  } else {
    std::cout << Ref(*v) << " is now " << (*v)["approval_status"].get<std::string>() << "\n";
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
  show->add_flag("--baselines", args->baselines,
                 "List the quality baselines attached (name, digest, item count, features, constraints)");
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
