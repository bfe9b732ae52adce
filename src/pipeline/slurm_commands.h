#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/slurm_job_state.h"

namespace grove::pipeline {

// What the Slurm launcher asks of Slurm. SlurmCli runs Slurm's commands;
// tests use a fake cluster. Called from the launcher's one poller thread.
class SlurmCommands {
 public:
  virtual ~SlurmCommands() = default;
  // `sbatch --parsable <args> <script>`: the new job's id, or an error
  // carrying sbatch's message (e.g. an unknown partition).
  virtual Result<std::string> Submit(const std::vector<std::string>& args, const std::filesystem::path& script) = 0;
  // The states of those of `job_ids` that Slurm still knows, in one call; an
  // array's id gives each of its tasks.
  virtual Result<std::vector<SlurmJobState>> Query(const std::vector<std::string>& job_ids) = 0;
  // One job's state with its exit code; NotFound when Slurm no longer knows it.
  virtual Result<SlurmJobState> Show(const std::string& job_id) = 0;
  // `scancel`.
  virtual Status Cancel(const std::vector<std::string>& job_ids) = 0;
};

}  // namespace grove::pipeline
