// `grove doctor [--repair] [--json]`: checks a data folder's invariants
// (app/doctor.h) and prints one line per finding, then a summary. Exits 0 when
// nothing is lost or corrupt (warnings allowed), 1 when something is, 2 on
// bad usage.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "app/doctor.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/findings_output.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct DoctorArgs {
  bool repair = false;
  std::string stale_after = "PT1H";
};

void PrintText(const app::DoctorReport& report) {
  PrintFindings(std::cout, report);
  std::cout << "checked";
  const char* sep = " ";
  for (const auto& [name, n] : report.checked) {
    std::cout << sep << n << " " << name;
    sep = ", ";
  }
  std::cout << "\n"
            << (report.Healthy() ? "nothing lost or corrupt" : "SOMETHING IS LOST OR CORRUPT") << ": "
            << report.Count(app::Severity::kLost) << " lost, " << report.Count(app::Severity::kWarning)
            << " warnings\n";
}

int Doctor(const GlobalOptions& global, const DoctorArgs& args) {
  auto stale = ParseIsoDuration(args.stale_after);
  if (!stale.ok()) return ReportError(Status::InvalidArgument("--stale-after: " + stale.status().message()));
  const std::filesystem::path folder = app::Home::FolderOf(global.home);
  std::error_code ec;
  if (global.stores.db.empty() && !std::filesystem::exists(folder / "grove.db", ec)) {
    return ReportError(Status::NotFound("no data folder at " + std::filesystem::absolute(folder, ec).string() +
                                        " (no grove.db): give --home or set GROVE_HOME"));
  }
  app::HomeOptions look;
  look.recover_orphans = false;  // Orphans are findings; --repair recovers them.
  auto home = app::Home::OpenFlag(global.home, global.stores, look);
  if (!home.ok()) {
    // A metadata store that cannot be opened is itself a finding: lost until restored.
    std::cerr << "lost  metadata-unreadable  " << home.status().message() << "  [" << folder.string() << "]\n";
    return kExitFailed;
  }
  app::DoctorOptions options;
  options.repair = args.repair;
  options.stale_temp_ms = *stale;
  auto report = app::RunDoctor(**home, options);
  if (!report.ok()) {
    std::cerr << "lost  metadata-unreadable  " << report.status().message() << "  [" << folder.string() << "]\n";
    return kExitFailed;
  }
  if (global.json) {
    PrintJson(std::cout, FindingsJson(*report));
  } else {
    PrintText(*report);
  }
  return report->Healthy() ? kExitOk : kExitFailed;
}

}  // namespace

void AddDoctorCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Check the data folder: artifacts present and intact, no step left running, queue results, registry "
                "and endpoints, events gap-free, leftover temporary files (exit 1 when something is lost or corrupt)");
  cmd->add_flag("--repair", args->repair,
                "Fix what is safe: fail orphaned executions as the next command would, remove stale temporary files");
  cmd->add_option("--stale-after", args->stale_after,
                  "With --repair, remove temporary files untouched for this long (ISO-8601 duration; default PT1H; "
                  "PT0S when nothing runs)");
  Bind(cmd, global, action, args, Doctor);
}

}  // namespace grove::cli
