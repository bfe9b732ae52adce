#include "cli/executor_flags.h"

#include <CLI/CLI.hpp>

namespace grove::cli {

void AddExecutorFlags(CLI::App* cmd, app::LauncherOptions* options) {
  const auto kinds = CLI::IsMember({"in-process", "subprocess", "slurm"});
  const std::string help =
      "Where steps run: in-process (default), subprocess (each step in its own process) or slurm (each step a "
      "Slurm job; see docs/deployment.md)";
  cmd->add_option("--executor", options->kind, help)->check(kinds);
  cmd->add_option("--launcher", options->kind, "Same as --executor")->check(kinds);
  cmd->add_option("--step-memory-mb", options->step_memory_mb,
                  "Memory each step may use, MiB. subprocess: a step that needs more fails (default: 3/4 of the "
                  "machine's memory); slurm: each job's --mem (default: the cluster's)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--slurm-partition", options->slurm_partition,
                  "With --executor slurm: the partition jobs go to (default: the cluster's default)");
  cmd->add_option("--slurm-sbatch-arg", options->slurm_sbatch_args,
                  "With --executor slurm: an argument added to every sbatch, e.g. --slurm-sbatch-arg=--time=60 "
                  "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--slurm-max-cpus", options->slurm_max_cpus,
                  "With --executor slurm: the most CPUs one job asks for (default: a step's slots, e.g. a Tuning "
                  "step's max_parallel_trials)")
      ->check(CLI::PositiveNumber);
}

}  // namespace grove::cli
