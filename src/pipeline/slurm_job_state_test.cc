#include "pipeline/slurm_job_state.h"

#include <gtest/gtest.h>

namespace grove::pipeline {
namespace {

TEST(SlurmJobStateTest, EndStatesAreTheOnesAJobDoesNotLeave) {
  for (const char* state : {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL",
                            "PREEMPTED", "DEADLINE", "CANCELLED by 0"}) {
    EXPECT_TRUE(SlurmJobEnded(state)) << state;
  }
  for (const char* state : {"PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "REQUEUED", "", "NEW"}) {
    EXPECT_FALSE(SlurmJobEnded(state)) << state;
  }
}

TEST(SlurmJobStateTest, AnUnknownEndIsStillNamed) {
  EXPECT_EQ(SlurmEndReason({"7", "", "", ""}), "Slurm job 7 ended in an unknown state");
  EXPECT_EQ(SlurmEndReason({"7", "WEIRD", "Odd", "2:0"}), "Slurm job 7 ended WEIRD (exit code 2, reason Odd)");
}

TEST(SlurmJobStateTest, SignalsAreNamedAndSlurmsOwnCodesQuoted) {
  EXPECT_EQ(SlurmEndReason({"7", "FAILED", "NonZeroExitCode", "0:9"}),
            "Slurm job 7 ended FAILED: the step's process failed (killed by signal 9 (Killed), reason NonZeroExitCode)");
  EXPECT_EQ(SlurmEndReason({"7", "OUT_OF_MEMORY", "OutOfMemory", "0:125"}),
            "Slurm job 7 ended OUT_OF_MEMORY: the step needed more memory than its job asked for (--step-memory-mb) "
            "(Slurm exit code 0:125, reason OutOfMemory)");
}

}  // namespace
}  // namespace grove::pipeline
