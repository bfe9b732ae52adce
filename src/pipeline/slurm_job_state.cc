#include "pipeline/slurm_job_state.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace grove::pipeline {

namespace {

// What each end state means for the step, in words a user acts on.
const std::map<std::string, std::string>& EndStates() {
  static const auto* states = new std::map<std::string, std::string>{
      {"COMPLETED", "but the step wrote no result"},
      {"FAILED", "the step's process failed"},
      {"CANCELLED", "the job was cancelled (scancel, or an administrator)"},
      {"TIMEOUT", "the job ran past its time limit"},
      {"OUT_OF_MEMORY", "the step needed more memory than its job asked for (--step-memory-mb)"},
      {"NODE_FAIL", "the node running it failed"},
      {"BOOT_FAIL", "its node failed to boot"},
      {"PREEMPTED", "a job of higher priority preempted it"},
      {"DEADLINE", "it reached its deadline"},
  };
  return *states;
}

// "exit code 1" or "killed by signal 9 (Killed)" from "<code>:<signal>"; empty for 0:0.
std::string DescribeExitCode(const std::string& exit_code) {
  size_t colon = exit_code.find(':');
  if (colon == std::string::npos) return "";
  int code = std::atoi(exit_code.substr(0, colon).c_str());
  int sig = std::atoi(exit_code.substr(colon + 1).c_str());
  if (sig > 0 && sig < NSIG) return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  if (sig > 0) return "Slurm exit code " + exit_code;  // Slurm's own codes, e.g. 0:125 for out of memory.
  if (code > 0) return "exit code " + std::to_string(code);
  return "";
}

}  // namespace

bool SlurmJobEnded(const std::string& state) {
  // "CANCELLED by 0" is how some versions show who cancelled.
  return EndStates().count(state.substr(0, state.find(' '))) > 0;
}

std::string SlurmEndReason(const SlurmJobState& job) {
  std::string state = job.state.substr(0, job.state.find(' '));
  auto it = EndStates().find(state);
  std::string reason = "Slurm job " + job.id + " ended " + (state.empty() ? "in an unknown state" : state);
  if (it != EndStates().end()) reason += (state == "COMPLETED" ? " " : ": ") + it->second;
  std::vector<std::string> details;
  if (std::string exit = DescribeExitCode(job.exit_code); !exit.empty()) details.push_back(exit);
  if (!job.reason.empty() && job.reason != "None" && job.reason != state) details.push_back("reason " + job.reason);
  for (size_t i = 0; i < details.size(); ++i) reason += (i == 0 ? " (" : ", ") + details[i];
  if (!details.empty()) reason += ")";
  return reason;
}

}  // namespace grove::pipeline
