#pragma once

#include <string>

namespace grove::pipeline {

// What Slurm says of one job, or of one task of a job array ("123_4").
struct SlurmJobState {
  std::string id;
  std::string state;      // PENDING, RUNNING, COMPLETED, FAILED, OUT_OF_MEMORY, TIMEOUT, ...
  std::string reason;     // Slurm's Reason, e.g. "NonZeroExitCode"; "None" or empty when none.
  std::string exit_code;  // "<code>:<signal>"; empty when not known (squeue does not show it).
};

// Whether a job in `state` has ended (COMPLETED, FAILED, CANCELLED, TIMEOUT,
// OUT_OF_MEMORY, NODE_FAIL, BOOT_FAIL, PREEMPTED, DEADLINE). Other states,
// known or not, are taken as not yet ended.
bool SlurmJobEnded(const std::string& state);

// Why an attempt whose job ended in `job`'s state without a result failed,
// e.g. "Slurm job 123 ended OUT_OF_MEMORY: the step needed more memory than
// its job asked for (exit code 0:9)".
std::string SlurmEndReason(const SlurmJobState& job);

}  // namespace grove::pipeline
