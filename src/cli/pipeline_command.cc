#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

int ListPipelines(const GlobalOptions& global) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto pipelines = (*client)->ListPipelines();
  if (!pipelines.ok()) return ReportError(pipelines.status());
  if (global.json) {
    PrintJson(std::cout, *pipelines);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& p : *pipelines) {
    rows.push_back({p["name"], p["latest_version"].dump(), FormatTime(p["updated_at"]), p["description"]});
  }
  PrintTable(std::cout, {"PIPELINE", "VERSION", "UPDATED", "DESCRIPTION"}, rows);
  return kExitOk;
}

int ShowPipeline(const GlobalOptions& global, const std::string& name, int version) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto described = (*client)->DescribePipeline(name, version);
  if (!described.ok()) return ReportError(described.status());
  if (global.json) {
    PrintJson(std::cout, *described);
    return kExitOk;
  }
  const Json& p = *described;
  const Json& def = p["definition"];
  std::cout << "pipeline " << p["name"].get<std::string>() << "  (latest version " << p["latest_version"].dump()
            << ")\n"
            << "version " << def["version"].dump() << " from " << def["source_path"].get<std::string>() << " at "
            << FormatTime(def["created_at"]) << "\n\n"
            << def["body"].get<std::string>();
  return kExitOk;
}

// Stores FILE as a new version of its pipeline (unless the latest has the same
// text), without running it, so the APIs can describe and start it.
int CreatePipeline(const GlobalOptions& global, const std::string& file) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto registered = (*client)->CreatePipeline(file);
  if (!registered.ok()) return ReportError(registered.status());
  if (global.json) {
    PrintJson(std::cout, *registered);
    return kExitOk;
  }
  const Json& r = *registered;
  std::cout << "pipeline " << r["pipeline"].get<std::string>() << " version " << r["version"].dump()
            << (r["new_version"].get<bool>() ? " stored" : " unchanged (the latest version has the same text)") << "\n";
  return kExitOk;
}

}  // namespace

void AddPipelineCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  CLI::App* cmd = app.add_subcommand("pipeline", "Store, list and show pipeline definitions");
  cmd->require_subcommand(1);
  cmd->add_subcommand("list", "List pipelines")->callback([&global, action] {
    *action = [&global] { return ListPipelines(global); };
  });
  auto file = std::make_shared<std::string>();
  CLI::App* create = cmd->add_subcommand("create", "Store a definition as a new version of its pipeline, without running it");
  create->add_option("file", *file, "Pipeline definition file")->required();
  create->callback([&global, action, file] { *action = [&global, file] { return CreatePipeline(global, *file); }; });
  // What CI calls publishing a definition: the same as create.
  CLI::App* push = cmd->add_subcommand("push", "Publish a definition as its pipeline's next version (same as create; for CI)");
  push->add_option("file", *file, "Pipeline definition file")->required();
  push->callback([&global, action, file] { *action = [&global, file] { return CreatePipeline(global, *file); }; });
  auto name = std::make_shared<std::string>();
  auto version = std::make_shared<int>(0);
  CLI::App* show = cmd->add_subcommand("show", "Show a pipeline's definition");
  show->add_option("name", *name, "Pipeline name")->required();
  show->add_option("--version", *version, "Definition version (default: latest)");
  show->callback([&global, action, name, version] {
    *action = [&global, name, version] { return ShowPipeline(global, *name, *version); };
  });
}

}  // namespace grove::cli
