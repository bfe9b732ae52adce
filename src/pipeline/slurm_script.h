#pragma once

#include <string>
#include <vector>

namespace grove::pipeline {

// `arg` quoted for sh: 'it'\''s' for it's.
std::string ShellQuote(const std::string& arg);

// The batch script of a Slurm job that runs `commands` (argv each): with one
// command, the job execs it; with more, the job is an array and task i
// (SLURM_ARRAY_TASK_ID) execs commands[i]. The script first prints which Slurm
// job it is and where, so the step's log shows it. `comment` (one line) says
// what the job is for whoever reads the script.
std::string SlurmJobScript(const std::vector<std::vector<std::string>>& commands, const std::string& comment);

}  // namespace grove::pipeline
