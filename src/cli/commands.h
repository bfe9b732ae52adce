#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/home.h"
#include "common/status.h"

namespace CLI {
class App;
}

namespace grove::cli {

// Options every command takes.
struct GlobalOptions {
  std::string home;   // Data folder; empty means $GROVE_HOME or ./.grove.
  app::StoreLocations stores;  // --db, --artifacts, --s3-endpoint (or GROVE_DB, ...).
  bool json = false;  // Machine-readable output.
  std::string command;  // The command chosen, e.g. "execution logs" (for messages).
};

// Each command adds its subcommand to `app` and, when chosen on the command
// line, sets `*action` to the function that runs it and returns the exit code.
using Action = std::function<int()>;
void AddRunCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddPipelineCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddExecutionCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddRegistryCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddEndpointCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddInvokeCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddArtifactCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddServerCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddKeyCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddLambdaCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddStepRunCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddDatasetsCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddTriggerCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddMonitorCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddQueueCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddPredictionsCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddMigrateStoreCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddConfigCommands(CLI::App& app, GlobalOptions& global, Action* action);  // plan, apply, export
void AddHookCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddPromotionCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddDoctorCommand(CLI::App& app, GlobalOptions& global, Action* action);
void AddBackupCommands(CLI::App& app, GlobalOptions& global, Action* action);  // backup, restore

// The data folder of --home (else $GROVE_HOME, else ./.grove), opened.
// FailedPrecondition naming the command when commands go to a server
// (GROVE_URL, see client.h): a command that calls this works on a data folder only.
Result<std::unique_ptr<app::Home>> OpenHome(const GlobalOptions& global);

// Who is acting when --by is not given: $USER, or "unknown".
std::string CurrentUser();

// Runs the CLI; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace grove::cli
