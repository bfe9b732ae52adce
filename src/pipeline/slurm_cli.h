#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "pipeline/slurm_commands.h"

namespace grove::pipeline {

// Runs a command to its end (RunChildProcess, or a fake in tests).
using CommandRunner = std::function<Result<ChildOutput>(const std::vector<std::string>& argv)>;

// SlurmCommands as Slurm's own commands, found on PATH and reading the
// cluster from SLURM_CONF like any client: `sbatch --parsable`, `squeue -h
// -r -t all -j IDS -o %i|%T|%r`, `scontrol -o show job ID`, `scancel`.
class SlurmCli : public SlurmCommands {
 public:
  explicit SlurmCli(CommandRunner run = RunChildProcess) : run_(std::move(run)) {}

  Result<std::string> Submit(const std::vector<std::string>& args, const std::filesystem::path& script) override;
  Result<std::vector<SlurmJobState>> Query(const std::vector<std::string>& job_ids) override;
  Result<SlurmJobState> Show(const std::string& job_id) override;
  Status Cancel(const std::vector<std::string>& job_ids) override;

 private:
  CommandRunner run_;
};

// The job id `sbatch --parsable` prints ("123", or "123;cluster").
Result<std::string> ParseSbatchJobId(const std::string& out);
// Lines of `squeue -o %i|%T|%r`.
std::vector<SlurmJobState> ParseSqueue(const std::string& out);
// `scontrol -o show job`'s one line of Key=Value fields.
SlurmJobState ParseScontrolJob(const std::string& out);

}  // namespace grove::pipeline
