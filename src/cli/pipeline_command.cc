#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/record_json.h"

namespace grove::cli {

namespace {

int ListPipelines(const GlobalOptions& global) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto pipelines = (*home)->metadata()->ListPipelines();
  if (!pipelines.ok()) return ReportError(pipelines.status());
  if (global.json) {
    Json out = Json::array();
    for (const auto& p : *pipelines) out.push_back(ToJson(p));
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : *pipelines) {
    rows.push_back({p.name, std::to_string(p.latest_version), FormatTime(p.updated_at), p.description});
  }
  PrintTable(std::cout, {"PIPELINE", "VERSION", "UPDATED", "DESCRIPTION"}, rows);
  return kExitOk;
}

int ShowPipeline(const GlobalOptions& global, const std::string& name, int version) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto pipeline = (*home)->metadata()->GetPipeline(name);
  if (!pipeline.ok()) return ReportError(pipeline.status());
  auto def = (*home)->metadata()->GetDefinition(name, version);
  if (!def.ok()) return ReportError(def.status());
  if (global.json) {
    Json out = ToJson(*pipeline);
    out["definition"] = {{"version", def->version}, {"digest", def->digest}, {"source_path", def->source_path},
                         {"created_at", FormatIso8601(def->created_at)}, {"body", def->body}};
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::cout << "pipeline " << pipeline->name << "  (latest version " << pipeline->latest_version << ")\n"
            << "version " << def->version << " from " << def->source_path << " at " << FormatTime(def->created_at)
            << "\n\n"
            << def->body;
  return kExitOk;
}

}  // namespace

void AddPipelineCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  CLI::App* cmd = app.add_subcommand("pipeline", "List pipelines and show their definitions");
  cmd->require_subcommand(1);
  cmd->add_subcommand("list", "List pipelines")->callback([&global, action] {
    *action = [&global] { return ListPipelines(global); };
  });
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
