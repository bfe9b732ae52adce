// `grove migrate-store --to-db URL [--to-artifacts URL]`: moves a data
// folder's metadata and artifacts into other stores (app/store_migration.h),
// e.g. from the embedded SQLite file and local folder to PostgreSQL and S3.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/store_migration.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct MigrateStoreArgs {
  app::StoreLocations to;
};

int MigrateStore(const GlobalOptions& global, const MigrateStoreArgs& given) {
  MigrateStoreArgs args = given;
  auto from = OpenHome(global);
  if (!from.ok()) return ReportError(from.status());
  if (args.to.s3_endpoint.empty()) args.to.s3_endpoint = global.stores.s3_endpoint;
  args.to.cache_mb = global.stores.cache_mb;
  // Without --to-artifacts the artifacts stay where they are, and the new metadata names them there.
  const bool copy_artifacts = !args.to.artifacts.empty() && args.to.artifacts != global.stores.artifacts;
  if (!copy_artifacts) args.to.artifacts = global.stores.artifacts;
  auto to = app::Home::Open((*from)->root(), args.to);
  if (!to.ok()) return ReportError(to.status());
  auto report = app::MigrateStores(**from, **to, copy_artifacts, [&](const std::string& line) {
    if (!global.json) std::cerr << line << "\n";
  });
  if (!report.ok()) return ReportError(report.status());
  if (global.json) {
    PrintJson(std::cout, {{"artifacts_copied", report->artifacts_copied},
                          {"bytes_copied", report->bytes_copied},
                          {"rows", report->rows.rows},
                          {"total_rows", report->rows.total_rows},
                          {"db", args.to.db},
                          {"artifacts", args.to.artifacts}});
    return kExitOk;
  }
  std::cout << "copied " << report->rows.total_rows << " rows of " << report->rows.rows.size() << " tables to "
            << args.to.db;
  if (copy_artifacts) {
    std::cout << ", and " << report->artifacts_copied << " artifacts (" << report->bytes_copied << " bytes) to "
              << args.to.artifacts;
  }
  std::cout << "\nfrom now on run grove with --db " << args.to.db;
  if (!args.to.artifacts.empty()) std::cout << " --artifacts " << args.to.artifacts;
  if (!args.to.s3_endpoint.empty()) std::cout << " --s3-endpoint " << args.to.s3_endpoint;
  std::cout << " (or GROVE_DB=..., GROVE_ARTIFACTS=...); the old stores are left as they were\n";
  return kExitOk;
}

}  // namespace

void AddMigrateStoreCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<MigrateStoreArgs>();
  CLI::App* cmd = app.add_subcommand(
      "migrate-store",
      "Copy this data folder's metadata and artifacts into new stores (e.g. PostgreSQL and S3); stop servers first");
  cmd->add_option("--to-db", args->to.db, "The new metadata store, e.g. postgresql://grove@db/grove (must be empty)")
      ->required();
  cmd->add_option("--to-artifacts", args->to.artifacts,
                  "The new artifact store, e.g. s3://bucket/prefix (default: keep the artifacts where they are)");
  cmd->add_option("--to-s3-endpoint", args->to.s3_endpoint, "The new artifact store's S3 endpoint (default: --s3-endpoint)");
  Bind(cmd, global, action, args, MigrateStore);
}

}  // namespace grove::cli
