#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Grove: ML pipelines, a model registry and serving in one binary"};
  app.require_subcommand(1);
  app.fallthrough();  // Global options may follow the subcommand too.
  app.set_help_all_flag("--help-all", "Show help for every command");
  GlobalOptions global;
  app.add_option("--home", global.home, "Data folder (default: $GROVE_HOME or ./.grove)");
  app.add_flag("--json", global.json, "Print machine-readable JSON");
  Action action;
  AddRunCommand(app, global, &action);
  AddPipelineCommand(app, global, &action);
  AddExecutionCommand(app, global, &action);
  AddRegistryCommand(app, global, &action);
  AddEndpointCommand(app, global, &action);
  AddInvokeCommand(app, global, &action);
  AddServerCommand(app, global, &action);
  AddStepRunCommand(app, global, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (!action) return kExitBadInput;
  return action();
}

}  // namespace grove::cli
