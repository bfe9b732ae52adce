// `grove backup DEST` and `grove restore SRC [--force]` (app/backup.h): an
// online backup of a data folder's metadata and artifacts, and its restore
// into a new data folder, checked by grove doctor's checks.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/backup.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/findings_output.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct BackupArgs {
  std::string folder;
  bool force = false;
};

std::function<void(const std::string&)> Progress(const GlobalOptions& global) {
  return [&global](const std::string& line) {
    if (!global.json) std::cerr << line << "\n";
  };
}

int Backup(const GlobalOptions& global, const BackupArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto report = app::BackupHome(**home, args.folder, Progress(global));
  if (!report.ok()) return ReportError(report.status());
  if (global.json) {
    PrintJson(std::cout, {{"folder", args.folder},
                          {"metadata", report->metadata_file.string()},
                          {"metadata_format", report->metadata_format},
                          {"artifacts", report->artifacts},
                          {"bytes", report->bytes}});
    return kExitOk;
  }
  std::cout << "backed up " << (*home)->root().string() << " to " << args.folder << ": the metadata ("
            << report->metadata_format << ", " << report->metadata_file.filename().string() << ") and "
            << report->artifacts << " artifacts (" << report->bytes << " bytes)\n";
  return kExitOk;
}

int Restore(const GlobalOptions& global, const BackupArgs& args) {
  app::RestoreOptions options;
  options.force = args.force;
  const std::filesystem::path target = app::Home::FolderOf(global.home);
  auto report = app::RestoreHome(args.folder, target, global.stores, options, Progress(global));
  if (!report.ok()) return ReportError(report.status());
  const app::DoctorReport& doctor = report->doctor;
  if (global.json) {
    PrintJson(std::cout, {{"folder", target.string()},
                          {"artifacts", report->artifacts},
                          {"metadata_format", report->metadata_format},
                          {"rows", report->rows.total_rows},
                          {"doctor", FindingsJson(doctor)}});
  } else {
    PrintFindings(std::cout, doctor);
    std::cout << "restored " << args.folder << " into " << target.string() << ": " << report->artifacts
              << " artifacts, "
              << (report->metadata_format == store::kBackupSqlite ? std::to_string(report->rows.total_rows) + " rows"
                                                                  : std::string("the metadata by pg_restore"))
              << "; grove doctor: "
              << (doctor.Healthy() ? "nothing lost or corrupt" : "SOMETHING IS LOST OR CORRUPT") << "\n";
  }
  return doctor.Healthy() ? kExitOk : kExitFailed;
}

}  // namespace

void AddBackupCommands(CLI::App& app, GlobalOptions& global, Action* action) {
  struct Subcommand {
    const char* name;
    const char* help;
    const char* folder_help;
    int (*run)(const GlobalOptions&, const BackupArgs&);
  };
  const Subcommand subcommands[] = {
      {"backup",
       "Back up the data folder's metadata (one consistent snapshot) and artifacts into a new folder, while servers "
       "and runs go on",
       "The backup folder (must not exist, or be empty)", Backup},
      {"restore",
       "Restore a backup into the data folder (--home; new or empty unless --force), then check it as grove doctor "
       "does (exit 1 when something is lost)",
       "The backup folder (grove backup's)", Restore},
  };
  for (const Subcommand& sub : subcommands) {
    auto args = std::make_shared<BackupArgs>();
    CLI::App* cmd = app.add_subcommand(sub.name, sub.help);
    cmd->add_option("folder", args->folder, sub.folder_help)->required();
    if (sub.run == Restore) {
      cmd->add_flag("--force", args->force, "Restore into a folder that is not empty, replacing its grove.db");
    }
    Bind(cmd, global, action, args, sub.run);
  }
}

}  // namespace grove::cli
