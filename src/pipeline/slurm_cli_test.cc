// Slurm's commands as SlurmCli runs them, with outputs recorded from Slurm 22.05.
#include "pipeline/slurm_cli.h"

#include <gtest/gtest.h>

namespace grove::pipeline {
namespace {

// Answers every command with `output` and records what was run.
struct Recorder {
  explicit Recorder(ChildOutput answer) : output(std::move(answer)) {}
  ChildOutput output;
  std::vector<std::vector<std::string>> runs;
  CommandRunner Runner() {
    return [this](const std::vector<std::string>& argv) -> Result<ChildOutput> {
      runs.push_back(argv);
      return output;
    };
  }
};

TEST(SlurmCliTest, SubmitRunsSbatchParsableAndReturnsTheJobId) {
  Recorder r{{0, "4242\n", ""}};
  SlurmCli cli(r.Runner());
  auto id = cli.Submit({"--partition=ml", "--cpus-per-task=2"}, "/work/x/task-1.sh");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "4242");
  EXPECT_EQ(r.runs.at(0),
            (std::vector<std::string>{"sbatch", "--parsable", "--partition=ml", "--cpus-per-task=2", "/work/x/task-1.sh"}));
}

TEST(SlurmCliTest, AnSbatchErrorCarriesSbatchsMessage) {
  Recorder r{{1, "", "sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified\n"}};
  SlurmCli cli(r.Runner());
  auto id = cli.Submit({}, "/x.sh");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message(),
            "sbatch failed (exit code 1): sbatch: error: invalid partition specified: nope\n"
            "sbatch: error: Batch job submission failed: Invalid partition name specified");
}

TEST(SlurmCliTest, SbatchJobIdsMayNameTheirCluster) {
  EXPECT_EQ(ParseSbatchJobId("77;grove\n").value(), "77");
  EXPECT_FALSE(ParseSbatchJobId("Submitted batch job 77").ok());
  EXPECT_FALSE(ParseSbatchJobId("").ok());
}

TEST(SlurmCliTest, QueryIsOneSqueueForAllJobsWithArrayTasksApart) {
  Recorder r{{0, "1|COMPLETED|None\n2_2|PENDING|Resources\n2_0|RUNNING|None\n", ""}};
  SlurmCli cli(r.Runner());
  auto states = cli.Query({"1", "2"});
  ASSERT_TRUE(states.ok()) << states.status().message();
  ASSERT_EQ(states->size(), 3u);
  EXPECT_EQ((*states)[1].id, "2_2");
  EXPECT_EQ((*states)[1].state, "PENDING");
  EXPECT_EQ((*states)[1].reason, "Resources");
  EXPECT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0], (std::vector<std::string>{"squeue", "--noheader", "--array", "--states=all", "--jobs=1,2",
                                                  "--format=%i|%T|%r"}));
}

TEST(SlurmCliTest, QueryOfJobsSlurmForgotIsEmpty) {
  Recorder r{{1, "", "slurm_load_jobs error: Invalid job id specified\n"}};
  SlurmCli cli(r.Runner());
  auto states = cli.Query({"9"});
  ASSERT_TRUE(states.ok());
  EXPECT_TRUE(states->empty());
}

TEST(SlurmCliTest, QueryFailsWhenTheControllerDoesNotAnswer) {
  Recorder r{{1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"}};
  SlurmCli cli(r.Runner());
  auto states = cli.Query({"9"});
  ASSERT_FALSE(states.ok());
  EXPECT_NE(states.status().message().find("Unable to contact slurm controller"), std::string::npos);
}

TEST(SlurmCliTest, ShowReadsStateReasonAndExitCodeOfAnArrayTask) {
  Recorder r{{0,
              "JobId=3 ArrayJobId=2 ArrayTaskId=0 JobName=grove-x UserId=root(0) GroupId=root(0) MCS_label=N/A "
              "JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 "
              "ExitCode=0:15 RunTime=00:01:13 TimeLimit=00:01:00\n",
              ""}};
  SlurmCli cli(r.Runner());
  auto state = cli.Show("2_0");
  ASSERT_TRUE(state.ok()) << state.status().message();
  EXPECT_EQ(state->id, "2_0");
  EXPECT_EQ(state->state, "TIMEOUT");
  EXPECT_EQ(state->reason, "TimeLimit");
  EXPECT_EQ(state->exit_code, "0:15");
  EXPECT_EQ(r.runs[0], (std::vector<std::string>{"scontrol", "--oneliner", "show", "job", "2_0"}));
}

TEST(SlurmCliTest, ShowOfAForgottenJobIsNotFound) {
  Recorder r{{1, "", "slurm_load_jobs error: Invalid job id specified\n"}};
  SlurmCli cli(r.Runner());
  EXPECT_EQ(cli.Show("9").status().code(), StatusCode::kNotFound);
}

TEST(SlurmCliTest, CancelIsOneScancel) {
  Recorder r{{0, "", ""}};
  SlurmCli cli(r.Runner());
  ASSERT_TRUE(cli.Cancel({"5", "6_1"}).ok());
  EXPECT_EQ(r.runs.at(0), (std::vector<std::string>{"scancel", "5", "6_1"}));
}

TEST(SlurmCliTest, AMissingSlurmIsAnErrorNamingTheCommand) {
  SlurmCli cli([](const std::vector<std::string>& argv) { return RunChildProcess({"grove-no-such-" + argv[0]}); });
  auto id = cli.Submit({}, "/x.sh");
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("cannot run grove-no-such-sbatch"), std::string::npos) << id.status().message();
}

}  // namespace
}  // namespace grove::pipeline
