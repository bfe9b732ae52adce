#pragma once

#include "app/home.h"

namespace CLI {
class App;
}

namespace grove::cli {

// The flags that say where pipeline steps run, shared by `grove run` and
// `grove server`: --executor in-process|subprocess|slurm (alias --launcher),
// --step-memory-mb, --slurm-partition, --slurm-sbatch-arg, --slurm-max-cpus.
void AddExecutorFlags(CLI::App* cmd, app::LauncherOptions* options);

}  // namespace grove::cli
