#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

// CLI11 expands one level of subcommands in --help-all; this expands them
// all, so sub-subcommands (`execution list`, `endpoint promote`) show their
// options too.
class NestedHelpFormatter : public CLI::Formatter {
 public:
  std::string make_expanded(const CLI::App* sub) const override {
    std::stringstream out;
    out << sub->get_display_name(true) << "\n" << make_description(sub) << make_positionals(sub)
        << make_groups(sub, CLI::AppFormatMode::Sub) << make_subcommands(sub, CLI::AppFormatMode::All);
    std::string text = CLI::detail::find_and_replace(out.str(), "\n\n", "\n");
    text = text.substr(0, text.size() - 1);
    return CLI::detail::find_and_replace(text, "\n", "\n  ") + "\n";
  }
};

}  // namespace

Result<std::unique_ptr<app::Home>> OpenHome(const GlobalOptions& global) {
  if (std::string url = ServerUrl(global); !url.empty()) {
    return Status::FailedPrecondition("grove " + global.command + " works on a data folder, not through a server: "
                                      "GROVE_URL is set (" + url + "); unset it, or give --home");
  }
  return app::Home::OpenFlag(global.home, global.stores);
}

std::string CurrentUser() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "unknown";
}

int Main(int argc, char** argv) {
  CLI::App app{"Grove: ML pipelines, a model registry and serving in one binary"};
  app.formatter(std::make_shared<NestedHelpFormatter>());  // Before the subcommands, which inherit it.
  app.require_subcommand(1);
  app.fallthrough();  // Global options may follow the subcommand too.
  app.set_help_all_flag("--help-all", "Show help for every command and subcommand");
  app.set_version_flag("--version", std::string("grove ") + GROVE_VERSION, "Print the version and exit");
  GlobalOptions global;
  app.add_option("--home", global.home, "Data folder (default: $GROVE_HOME or ./.grove)");
  app.add_option("--db", global.stores.db, "Metadata store URL (default: grove.db in the data folder)")
      ->envname("GROVE_DB");
  app.add_option("--artifacts", global.stores.artifacts,
                 "Artifact store URL: a folder, or s3://bucket/prefix (default: artifacts/ in the data folder)")
      ->envname("GROVE_ARTIFACTS");
  app.add_option("--s3-endpoint", global.stores.s3_endpoint,
                 "S3 endpoint for s3:// artifacts, e.g. http://minio:9000 (default: AWS's for $AWS_REGION)")
      ->envname("GROVE_S3_ENDPOINT");
  app.add_option("--artifact-cache-mb", global.stores.cache_mb,
                 "s3:// artifacts: bound the local copies in artifact-cache/ to this many MiB (default: no bound)")
      ->envname("GROVE_ARTIFACT_CACHE_MB");
  app.add_flag("--json", global.json, "Print machine-readable JSON");
  Action action;
  AddRunCommand(app, global, &action);
  AddPipelineCommand(app, global, &action);
  AddExecutionCommand(app, global, &action);
  AddRegistryCommand(app, global, &action);
  AddEndpointCommand(app, global, &action);
  AddInvokeCommand(app, global, &action);
  AddArtifactCommand(app, global, &action);
  AddServerCommand(app, global, &action);
  AddKeyCommand(app, global, &action);
  AddLambdaCommand(app, global, &action);
  AddTriggerCommand(app, global, &action);
  AddStepRunCommand(app, global, &action);
  AddDatasetsCommand(app, global, &action);
  AddMonitorCommand(app, global, &action);
  AddQueueCommand(app, global, &action);
  AddPredictionsCommand(app, global, &action);
  AddMigrateStoreCommand(app, global, &action);
  AddConfigCommands(app, global, &action);
  AddHookCommand(app, global, &action);
  AddPromotionCommand(app, global, &action);
  AddDoctorCommand(app, global, &action);
  AddBackupCommands(app, global, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (!action) return kExitBadInput;
  for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
    sub = sub->get_subcommands().front();
    global.command += (global.command.empty() ? "" : " ") + sub->get_name();
  }
  // The CLI's exception firewall: a bug that throws is an internal error with a message, never an abort.
  try {
    return action();
  } catch (const std::exception& e) {
    return ReportError(Status::Internal(std::string("grove ") + global.command + ": " + e.what()));
  }
}

}  // namespace grove::cli
