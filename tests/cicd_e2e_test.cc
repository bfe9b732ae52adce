// End-to-end: what CI drives — exit codes, run --timeout, execution wait,
// pipeline push, and selective re-runs (execution rerun) — on the real binary.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class CicdE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  CommandResult Expect(const std::vector<std::string>& args, int exit_code) {
    CommandResult r = Grove(args);
    EXPECT_EQ(r.exit_code, exit_code) << r.out << r.err;
    return r;
  }

  // A one-step pipeline whose step sleeps `seconds`.
  fs::path Sleeper(int seconds) {
    fs::path p = home_.path() / "sleep.yaml";
    EXPECT_TRUE(WriteFileAtomic(p, "pipeline: sleeper\nsteps:\n  - name: Sleep\n    type: Processing\n"
                                   "    arguments: {command: [sleep, '" + std::to_string(seconds) + "']}\n")
                    .ok());
    return p;
  }

  TempDir home_;
};

TEST_F(CicdE2ETest, RerunRunsTheChosenStepsAndReusesTheRest) {
  Json source = Expect({"run", "examples/abalone.yaml", "--json"}, 0).json();
  const std::string id = source["id"];

  Json eval = Expect({"execution", "rerun", id, "--steps", "AbaloneEval", "--json"}, 0).json();
  EXPECT_EQ(eval["status"], "Succeeded");
  Json steps = StepsByName(home_.path(), eval["id"]);
  EXPECT_EQ(steps["AbaloneProcess"]["cache_hit_source"], id);
  EXPECT_EQ(steps["AbaloneProcess"]["metadata"]["reused_from"], id);
  EXPECT_EQ(steps["AbaloneTrain"]["cache_hit_source"], id);
  EXPECT_EQ(steps["AbaloneEval"]["cache_hit_source"], "") << "the chosen step ran";
  EXPECT_FALSE(steps.contains("RegisterAbaloneModel")) << "after the chosen step, not chosen: not run";
  EXPECT_THAT(Expect({"execution", "steps", eval["id"]}, 0).out, HasSubstr("reused:" + id));

  // With --downstream and a parameter overridden, the re-run ends at the Fail step: exit 6.
  Json strict = Expect({"execution", "rerun", id, "--steps", "AbaloneEval", "--downstream", "-p", "MseThreshold=0.5",
                        "--json"},
                       6)
                    .json();
  EXPECT_EQ(strict["failure_reason"], "Execution failed due to MSE > 0.5");
  EXPECT_EQ(strict["parameters"]["MseThreshold"], 0.5);

  // Registering from the strict run is refused: that run took the else branch.
  CommandResult refused = Expect({"execution", "rerun", strict["id"], "--steps", "RegisterAbaloneModel"}, 2);
  EXPECT_THAT(refused.err, HasSubstr("RegisterAbaloneModel is in CheckMseAbaloneEvaluation's if_steps, which execution " +
                                     strict["id"].get<std::string>() + " did not take"));
  EXPECT_THAT(Expect({"execution", "rerun", id, "--steps", "AbaloneEvl"}, 2).err, HasSubstr("did you mean AbaloneEval?"));
}

TEST_F(CicdE2ETest, RunTimeoutStopsTheExecutionItRunsAndExitsFive) {
  CommandResult r = Expect({"run", Sleeper(30).string(), "--timeout", "1s", "--json"}, 5);
  EXPECT_THAT(r.err, HasSubstr("timed out after 1s"));
  EXPECT_EQ(r.json()["status"], "Stopped");
  EXPECT_THAT(Expect({"run", Sleeper(1).string(), "--timeout", "soon"}, 2).err, HasSubstr("--timeout 'soon'"));
  EXPECT_THAT(Expect({"run", Sleeper(1).string(), "--no-wait"}, 2).err, HasSubstr("--no-wait needs a server"));
  Expect({"run", Sleeper(0).string(), "--wait", "--timeout", "1m"}, 0);
}

TEST_F(CicdE2ETest, WaitFollowsAnExecutionAnotherCommandRuns) {
  int pid = StartGrove(home_.path(), {"run", Sleeper(3).string()}, home_.path() / "run.log");
  std::string id;
  for (int i = 0; i < 200 && id.empty(); ++i) {
    CommandResult list = Grove({"execution", "list", "--json"});
    if (list.exit_code == 0 && !list.json().empty()) id = list.json()[0]["id"];
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(id.empty());
  CommandResult early = Expect({"execution", "wait", id, "--timeout", "100ms"}, 5);
  EXPECT_THAT(early.err, HasSubstr("it keeps running"));
  CommandResult done = Expect({"execution", "wait", id, "--json"}, 0);
  EXPECT_EQ(done.json()["status"], "Succeeded");
  EXPECT_EQ(WaitGrove(pid), 0);
  Expect({"execution", "wait", "nope"}, 2);
}

TEST_F(CicdE2ETest, PipelinePushIsCreate) {
  EXPECT_EQ(Expect({"pipeline", "push", "examples/abalone.yaml"}, 0).out, "pipeline abalone version 1 stored\n");
  EXPECT_THAT(Expect({"pipeline", "create", "examples/abalone.yaml"}, 0).out, HasSubstr("version 1 unchanged"));
  Expect({"pipeline", "push", (home_.path() / "missing.yaml").string()}, 2);
}

}  // namespace
}  // namespace grove::testing
