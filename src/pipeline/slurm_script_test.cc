#include "pipeline/slurm_script.h"

#include <gtest/gtest.h>

#include "common/child_process.h"
#include "common/file_util.h"

namespace grove::pipeline {
namespace {

// Runs `script` with sh and `env` set, as slurmd would.
ChildOutput RunScript(const std::string& script, const std::string& env) {
  TempDir dir;
  EXPECT_TRUE(WriteFile(dir.path() / "job.sh", script).ok());
  return RunChildProcess({"sh", "-c", env + " sh " + (dir.path() / "job.sh").string()}).value();
}

TEST(SlurmScriptTest, ArgumentsReachTheCommandAsWritten) {
  std::vector<std::string> argv = {"printf", "%s|", "it's", "a b", "$HOME", "`x`", "\"q\""};
  ChildOutput out = RunScript(SlurmJobScript({argv}, "test"), "SLURM_JOB_ID=12 SLURMD_NODENAME=n1");
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, "grove: Slurm job 12 on n1\nit's|a b|$HOME|`x`|\"q\"|");
}

TEST(SlurmScriptTest, EachArrayTaskRunsItsOwnCommand) {
  std::string script = SlurmJobScript({{"echo", "zero"}, {"echo", "one"}, {"echo", "two"}}, "items");
  ChildOutput out = RunScript(script, "SLURM_ARRAY_JOB_ID=40 SLURM_ARRAY_TASK_ID=1 SLURMD_NODENAME=n1");
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, "grove: Slurm job 40_1 on n1\none\n");
  ChildOutput missing = RunScript(script, "SLURM_ARRAY_JOB_ID=40 SLURM_ARRAY_TASK_ID=7 SLURMD_NODENAME=n1");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("array task 7 has no command"), std::string::npos) << missing.err;
}

TEST(SlurmScriptTest, TheScriptStartsWithAnInterpreterLineAsSbatchRequires) {
  EXPECT_EQ(SlurmJobScript({{"true"}}, "x").rfind("#!/bin/sh\n", 0), 0u);
}

}  // namespace
}  // namespace grove::pipeline
