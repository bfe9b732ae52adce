// End-to-end: bad input gives a clear error, the right exit code, and leaves
// the metadata consistent.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "common/file_util.h"
#include "common/test_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

class ErrorsE2ETest : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    fs::path p = home_.path() / name;
    EXPECT_TRUE(WriteFileAtomic(p, text).ok());
    return p;
  }
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  // Every execution ended, and none left a step unfinished.
  void ExpectConsistent() {
    auto list = Grove({"execution", "list", "--json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    for (const Json& e : list.json()) {
      EXPECT_NE(e["status"], "Executing");
      auto steps = Grove({"execution", "steps", e["id"], "--json"});
      for (const Json& s : steps.json()) {
        EXPECT_TRUE(s["status"] == "Succeeded" || s["status"] == "Failed" || s["status"] == "Stopped") << s.dump();
      }
    }
    auto groups = Grove({"registry", "groups", "--json"});
    EXPECT_EQ(groups.json().size(), 0u) << "nothing may be registered by a failed run";
  }

  // A pipeline whose step runs a script that starts a child `sleep` and
  // waits, writing both pids to files in the data folder.
  std::string SleepingPipeline() {
    std::string dir = home_.path().string();
    return "pipeline: slow\nsteps:\n"
           "  - name: Sleep\n    type: Processing\n    arguments:\n"
           "      command: [sh, -c, 'sleep 60 & echo $! > " + dir + "/child.pid; echo $$ > " + dir +
           "/script.pid; wait', sh]\n"
           "  - {name: After, type: Fail, depends_on: [Sleep]}\n";
  }

  // Starts `grove run` of SleepingPipeline in the background and waits until
  // its step runs (setting *id) and its script has written its pids; the
  // run's pid.
  int StartSleepingRun(std::string* id) {
    fs::path p = Write("slow.yaml", SleepingPipeline());
    int pid = StartGrove(home_.path(), {"run", p.string()}, home_.path() / "run.log");
    *id = WaitForExecutingStep();
    Result<std::string> log = ReadFile(home_.path() / "run.log");
    EXPECT_FALSE(id->empty()) << (log.ok() ? *log : log.status().ToString());
    EXPECT_TRUE(WaitForScriptPids());
    return pid;
  }

  // The id of the one execution once its first step is Executing; empty
  // after the deadline.
  std::string WaitForExecutingStep() {
    std::string id;
    WaitUntil([&] {
      auto list = Grove({"execution", "list", "--json"});
      if (list.exit_code != 0 || list.json().empty()) return false;
      auto steps = Grove({"execution", "steps", list.json()[0]["id"], "--json"});
      if (steps.exit_code != 0 || steps.json().empty() || steps.json()[0]["status"] != "Executing") return false;
      id = list.json()[0]["id"];
      return true;
    });
    return id;
  }

  // The pids SleepingPipeline's script wrote, once it has written both;
  // false after the deadline. TearDown kills what is left of them.
  bool WaitForScriptPids() {
    auto read_pid = [&](const char* name) {
      auto text = ReadFile(home_.path() / name);
      return text.ok() && !text->empty() && text->back() == '\n' ? std::stoi(*text) : 0;
    };
    return WaitUntil([&] {
      script_pid_ = read_pid("script.pid");
      child_pid_ = read_pid("child.pid");
      return script_pid_ > 0 && child_pid_ > 0;
    });
  }
  void TearDown() override {
    if (script_pid_ > 0) ::kill(-script_pid_, SIGKILL);  // The script leads its own process group.
    if (child_pid_ > 0) ::kill(child_pid_, SIGKILL);
  }

  pid_t script_pid_ = 0, child_pid_ = 0;
  TempDir home_;
};

TEST_F(ErrorsE2ETest, MalformedYamlNamesFileAndLine) {
  fs::path p = Write("bad.yaml", "pipeline: x\nsteps:\n  - name: A\n    type: [Processing\n");
  auto r = Grove({"run", p.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(p.string() + ":"), std::string::npos) << r.err;
  ExpectConsistent();
}

TEST_F(ErrorsE2ETest, UnknownStepTypeIsRejectedBeforeAnythingRuns) {
  fs::path p = Write("t.yaml", "pipeline: x\nsteps:\n  - name: A\n    type: Trainng\n    arguments: {}\n");
  auto r = Grove({"run", p.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("t.yaml:4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown step type 'Trainng'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Training"), std::string::npos) << r.err;
  EXPECT_EQ(Grove({"execution", "list", "--json"}).json().size(), 0u);
}

TEST_F(ErrorsE2ETest, CycleIsRejected) {
  fs::path p = Write("c.yaml", R"(pipeline: x
steps:
  - {name: A, type: Fail, depends_on: [B]}
  - {name: B, type: Fail, depends_on: [A]}
)");
  auto r = Grove({"run", p.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("A -> B -> A"), std::string::npos) << r.err;
}

TEST_F(ErrorsE2ETest, BadParameterValueIsRejected) {
  auto r = Grove({"run", "examples/abalone.yaml", "-p", "MseThreshold=abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("MseThreshold"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;
  auto unknown = Grove({"run", "examples/abalone.yaml", "-p", "Threshold=1"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("MseThreshold"), std::string::npos) << "lists the known parameters: " << unknown.err;
}

TEST_F(ErrorsE2ETest, MissingDataFileFailsTheExecutionClearly) {
  auto r = Grove({"run", "examples/abalone.yaml", "-p", "InputData=datasets/nope.csv", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  std::string reason = r.json()["failure_reason"];
  EXPECT_NE(reason.find("datasets/nope.csv"), std::string::npos) << reason;
  EXPECT_NE(reason.find("AbaloneProcess"), std::string::npos) << reason;
  ExpectConsistent();
}

TEST_F(ErrorsE2ETest, RaggedRowNamesFileAndLine) {
  fs::path p = Write("ragged.csv", "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15\n"
                                   "F,0.35,0.265,0.09,0.2255,0.0995,0.0485,7\n");
  auto r = Grove({"run", "examples/abalone.yaml", "-p", "InputData=" + p.string(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  std::string reason = r.json()["failure_reason"];
  EXPECT_NE(reason.find(p.string() + ":2"), std::string::npos) << reason;
  ExpectConsistent();
}

TEST_F(ErrorsE2ETest, NonNumericCellNamesLineAndColumn) {
  std::string rows;
  for (int i = 0; i < 20; ++i) rows += "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15\n";
  rows += "F,0.35,abc,0.09,0.2255,0.0995,0.0485,0.07,7\n";
  fs::path p = Write("text.csv", rows);
  auto r = Grove({"run", "examples/abalone.yaml", "-p", "InputData=" + p.string(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  std::string reason = r.json()["failure_reason"];
  EXPECT_NE(reason.find(p.string() + ":21:3"), std::string::npos) << reason;
  EXPECT_NE(reason.find("diameter"), std::string::npos) << reason;
  EXPECT_NE(reason.find("abc"), std::string::npos) << reason;
  ExpectConsistent();
}

TEST_F(ErrorsE2ETest, FailingScriptReportsItsOutputTail) {
  fs::path p = Write("s.yaml", R"(pipeline: s
steps:
  - name: Prep
    type: Processing
    arguments:
      command: [sh, -c, "echo working; echo boom >&2; exit 3"]
      outputs: [out]
)");
  auto r = Grove({"run", p.string(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  std::string reason = r.json()["failure_reason"];
  EXPECT_NE(reason.find("exited with status 3"), std::string::npos) << reason;
  EXPECT_NE(reason.find("boom"), std::string::npos) << reason;
  auto logs = Grove({"execution", "logs", r.json()["id"], "Prep"});
  EXPECT_NE(logs.out.find("working"), std::string::npos) << logs.out;
}

TEST_F(ErrorsE2ETest, ScriptGetsItsFoldersAndItsOutputBecomesAnArtifact) {
  fs::path in = Write("in.txt", "payload");
  fs::path p = Write("s.yaml", R"(pipeline: s
parameters:
  In: {type: String}
steps:
  - name: Prep
    type: Processing
    arguments:
      command: [sh, -c, 'cat "$GROVE_INPUT_RAW" > "$GROVE_OUTPUT_OUT/copy.txt"; echo "args: $*"', sh]
      inputs: {raw: {Get: Parameters.In}}
      outputs: [out]
)");
  auto r = Grove({"run", p.string(), "-p", "In=" + in.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto steps = Grove({"execution", "steps", r.json()["id"], "--json"}).json();
  std::string digest = steps[0]["outputs"]["out"];
  fs::path copy = home_.path() / "artifacts/sha256" / digest.substr(0, 2) / digest / "copy.txt";
  EXPECT_EQ(ReadFile(copy).value(), "payload");
  auto logs = Grove({"execution", "logs", r.json()["id"]});
  EXPECT_NE(logs.out.find("--input-raw " + in.string()), std::string::npos) << logs.out;
}

TEST_F(ErrorsE2ETest, StopFromAnotherProcessStopsARunningExecution) {
  std::string id;
  int pid = StartSleepingRun(&id);
  ASSERT_FALSE(id.empty() || script_pid_ == 0);
  auto stop = Grove({"execution", "stop", id});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  // The stop reaches the script's whole process group: the script and the
  // child it started are gone well before the runner's SIGKILL fallback (5 s).
  EXPECT_TRUE(WaitUntil([&] { return ProcessGone(script_pid_) && ProcessGone(child_pid_); },
                        std::chrono::milliseconds(3000)))
      << "the script or its child still runs 3 s after the stop";
  EXPECT_EQ(WaitGrove(pid), 4);  // Stopped: exit 4 (was 1 before exit codes told them apart).
  auto shown = Grove({"execution", "show", id, "--json"}).json();
  EXPECT_EQ(shown["status"], "Stopped");
  auto steps = Grove({"execution", "steps", id, "--json"}).json();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0]["status"], "Stopped");
  EXPECT_EQ(Grove({"execution", "stop", id}).exit_code, 2);  // Not running any more.
}

// `grove run` killed with SIGKILL mid-step: the data folder still opens, the
// killed execution is listed, and a new run on the same folder succeeds.
TEST_F(ErrorsE2ETest, RunKilledMidStepLeavesAFolderTheNextCommandsUse) {
  std::string id;
  int pid = StartSleepingRun(&id);
  ASSERT_FALSE(id.empty() || script_pid_ == 0);
  ::kill(pid, SIGKILL);
  EXPECT_EQ(WaitGrove(pid), 128 + SIGKILL);

  auto list = Grove({"execution", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  ASSERT_EQ(list.json().size(), 1u);
  EXPECT_EQ(list.json()[0]["id"], id);
  // Today the killed execution stays Executing until its lease (30 s)
  // expires, and is then failed as interrupted by the next command.
  // TODO(orphan detection): once a dead owner on this machine is detected at
  // once, assert here: status "Failed", a failure reason naming the
  // interruption, step Sleep "Failed", and the end time at the last heartbeat.
  EXPECT_TRUE(list.json()[0]["status"] == "Executing" || list.json()[0]["status"] == "Failed") << list.out;
  auto steps = Grove({"execution", "steps", id, "--json"});
  ASSERT_EQ(steps.exit_code, 0) << steps.err;
  ASSERT_EQ(steps.json().size(), 1u);
  EXPECT_EQ(steps.json()[0]["step"], "Sleep");

  fs::path quick = Write("quick.yaml", R"(pipeline: slow
steps:
  - {name: Quick, type: Processing, arguments: {command: [sh, -c, "echo quick"], outputs: [out]}}
)");
  auto again = Grove({"run", quick.string(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(again.json()["status"], "Succeeded");
  EXPECT_NE(again.json()["id"], id);
  EXPECT_EQ(Grove({"execution", "list", "--json"}).json().size(), 2u);
  // The killed run's script outlives it (in its own process group); TearDown ends it.
}

}  // namespace
}  // namespace grove::testing
