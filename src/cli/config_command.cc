// `grove plan FILE`, `grove apply FILE`, `grove export [FILE]`: Grove as a
// configuration file declares it (app/configuration.h), on the data folder or
// through a server (GROVE_URL). The file is read here, so its errors, and
// the server's about an entry, point at its lines.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/configuration.h"
#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/file_util.h"

namespace grove::cli {

namespace {

// `grove plan --detailed-exitcode` when something would change (Terraform's 2
// is taken by bad input here).
constexpr int kExitChanges = 10;

struct ConfigArgs {
  std::string file;
  bool prune = false;
  bool detailed_exitcode = false;
  bool inline_pipelines = false;
};

const char* Sign(const std::string& action) {
  return action == "create" ? "+" : action == "change" ? "~" : "-";
}

// The changes one per line, Terraform's way, and the totals.
void PrintPlan(const Json& plan, const std::string& done) {
  std::map<std::string, int> counts;
  for (const Json& c : plan["changes"]) {
    const std::string action = c["action"];
    ++counts[action];
    std::cout << "  " << Sign(action) << " " << c["noun"].get<std::string>() << " " << c["name"].get<std::string>()
              << "\n";
    for (const Json& d : c["details"]) std::cout << "      " << d.get<std::string>() << "\n";
  }
  if (!plan["changes"].empty()) {
    std::cout << "\n" << done << counts["create"] << " to create, " << counts["change"] << " to change, "
              << counts["remove"] << " to remove.\n";
  }
  if (!plan["kept"].empty()) {
    std::string kept;
    for (const Json& k : plan["kept"]) kept += (kept.empty() ? "" : ", ") + k.get<std::string>();
    std::cout << "Not declared, kept (--prune removes them): " << kept << "\n";
  }
}

// Reads the file, then runs `call` with its document; errors about an entry point at it.
int WithDocument(const GlobalOptions& global, const ConfigArgs& args,
                 const std::function<int(Client&, const app::ConfigDocument&)>& call) {
  Result<app::ConfigDocument> doc = app::ReadConfigFile(args.file);
  if (!doc.ok()) return ReportError(doc.status());
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return call(**client, *doc);
}

int Plan(const GlobalOptions& global, const ConfigArgs& args) {
  return WithDocument(global, args, [&](Client& client, const app::ConfigDocument& doc) {
    Result<Json> plan = client.PlanConfig(app::ToJson(doc), args.prune);
    if (!plan.ok()) return ReportError(doc.Located(plan.status()));
    const bool changes = !(*plan)["changes"].empty();
    if (global.json) {
      PrintJson(std::cout, *plan);
    } else {
      if (!changes) std::cout << "No changes.\n";
      PrintPlan(*plan, "Plan: ");
    }
    return changes && args.detailed_exitcode ? kExitChanges : kExitOk;
  });
}

int Apply(const GlobalOptions& global, const ConfigArgs& args) {
  return WithDocument(global, args, [&](Client& client, const app::ConfigDocument& doc) {
    Result<Json> applied = client.ApplyConfig(app::ToJson(doc), args.prune);
    if (!applied.ok()) return ReportError(doc.Located(applied.status()));
    if (global.json) {
      PrintJson(std::cout, *applied);
      return kExitOk;
    }
    if ((*applied)["changes"].empty()) std::cout << "No changes.\n";
    PrintPlan(*applied, "Applied: ");
    for (const Json& key : (*applied)["created_keys"]) {
      std::cout << "\nkey " << key["name"].get<std::string>() << " (" << key["role"].get<std::string>()
                << "): its secret is shown this once; keep it\n"
                << "  access key id:     " << key["access_key_id"].get<std::string>() << "\n"
                << "  secret access key: " << key["secret_access_key"].get<std::string>() << "\n";
    }
    return kExitOk;
  });
}

int Export(const GlobalOptions& global, const ConfigArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  Result<Json> exported = (*client)->ExportConfig();
  if (!exported.ok()) return ReportError(exported.status());
  const std::filesystem::path file = args.file;
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  // Pipelines' definitions go beside a file written, unless asked inline.
  const std::string pipeline_dir = args.file.empty() || args.inline_pipelines ? "" : "pipelines";
  std::vector<std::string> written;
  auto write = [&](const std::string& path, const std::string& text) -> Status {
    RETURN_IF_ERROR(WriteFileAtomic(folder / path, text));  // Makes pipelines/ too.
    written.push_back((folder / path).lexically_normal().string());
    return Status::OK();
  };
  Result<std::string> yaml = app::ExportYaml(*exported, pipeline_dir, write);
  if (!yaml.ok()) return ReportError(yaml.status());
  if (args.file.empty()) {
    std::cout << *yaml;
    return kExitOk;
  }
  if (Status s = WriteFileAtomic(file, *yaml); !s.ok()) return ReportError(s);
  std::cout << "wrote " << args.file;
  for (const std::string& w : written) std::cout << ", " << w;
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

void AddConfigCommands(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<ConfigArgs>();
  CLI::App* plan = app.add_subcommand("plan", "Show what `grove apply FILE` would change (docs/configuration.md)");
  plan->add_option("file", args->file, "Configuration file, e.g. grove.yaml")->required();
  plan->add_flag("--prune", args->prune, "Also remove what the file does not declare");
  plan->add_flag("--detailed-exitcode", args->detailed_exitcode,
                 "Exit 10 when something would change (0 when nothing would)");
  Bind(plan, global, action, args, Plan);
  CLI::App* apply = app.add_subcommand("apply", "Make Grove what a configuration file declares, in one transaction");
  apply->add_option("file", args->file, "Configuration file, e.g. grove.yaml")->required();
  apply->add_flag("--prune", args->prune, "Also remove what the file does not declare (without it nothing is removed)");
  Bind(apply, global, action, args, Apply);
  CLI::App* exp = app.add_subcommand("export", "Write today's state as a configuration file");
  exp->add_option("file", args->file,
                  "File to write (default: standard output); pipeline definitions go in pipelines/ beside it");
  exp->add_flag("--inline", args->inline_pipelines, "Put pipeline definitions in the file itself");
  Bind(exp, global, action, args, Export);
}

}  // namespace grove::cli
