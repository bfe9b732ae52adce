#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "data/fleet_dataset.h"

namespace grove::cli {

namespace {

struct MakeFleetArgs {
  data::FleetOptions options;
  std::string out;
  std::string source = "datasets/customer-churn-synthetic/churn.txt";
};

int MakeFleet(const GlobalOptions& global, const MakeFleetArgs& args) {
  if (Status s = data::MakeFleet(args.source, args.options, args.out); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson(std::cout, {{"dims", args.options.dims}, {"out", args.out}, {"fleet", args.out + "/fleet.csv"}});
  } else {
    std::cout << "wrote " << args.options.dims << " dimensions to " << args.out << " (training-dataset/, "
              << "inference-dataset/, and every dimension in fleet.csv)\n";
  }
  return kExitOk;
}

}  // namespace

void AddDatasetsCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  CLI::App* datasets = app.add_subcommand("datasets", "Data sets for tests and benchmarks");
  datasets->require_subcommand(1);
  auto args = std::make_shared<MakeFleetArgs>();
  CLI::App* make = datasets->add_subcommand(
      "make-fleet", "Derive N dimensions from the churn data, in the churn-100x-dimensions layout (seed 004)");
  make->add_option("--dims", args->options.dims, "How many dimensions (DummyDim1..N)")->required();
  make->add_option("--out", args->out, "Folder to write")->required();
  make->add_option("--rows", args->options.rows, "Training rows per dimension (default 5000, at most the source's)");
  make->add_option("--inference-rows", args->options.inference_rows, "Rows per inference file (default 10)");
  make->add_option("--seed", args->options.seed, "Seed (default 1729)");
  make->add_option("--source", args->source, "The churn data (default " + args->source + ")");
  Bind(make, global, action, args, MakeFleet);
}

}  // namespace grove::cli
