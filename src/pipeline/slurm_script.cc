#include "pipeline/slurm_script.h"

namespace grove::pipeline {

namespace {

std::string QuotedCommand(const std::vector<std::string>& argv) {
  std::string line = "exec";
  for (const std::string& arg : argv) line += " " + ShellQuote(arg);
  return line;
}

}  // namespace

std::string ShellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string SlurmJobScript(const std::vector<std::vector<std::string>>& commands, const std::string& comment) {
  std::string script = "#!/bin/sh\n# " + comment + "\n";
  if (commands.size() == 1) {
    script += "echo \"grove: Slurm job ${SLURM_JOB_ID} on ${SLURMD_NODENAME}\"\n";
    return script + QuotedCommand(commands[0]) + "\n";
  }
  script += "echo \"grove: Slurm job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on ${SLURMD_NODENAME}\"\n";
  script += "case \"${SLURM_ARRAY_TASK_ID}\" in\n";
  for (size_t i = 0; i < commands.size(); ++i) {
    script += "  " + std::to_string(i) + ") " + QuotedCommand(commands[i]) + " ;;\n";
  }
  script += "esac\n";
  script += "echo \"grove: array task ${SLURM_ARRAY_TASK_ID} has no command\" >&2\nexit 2\n";
  return script;
}

}  // namespace grove::pipeline
