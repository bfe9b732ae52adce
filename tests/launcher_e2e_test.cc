// End-to-end: the subprocess launcher runs each step attempt as `grove
// step-run`; a step that crashes fails alone and is retried per its policy.

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "common/sanitizers.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

class LauncherE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  Json Steps(const std::string& execution_id) { return StepsByName(home_.path(), execution_id); }

  TempDir home_;
};

TEST_F(LauncherE2ETest, AbaloneInSubprocessesGivesTheSameOutputsAndCacheKeysAsInProcess) {
  TempDir other;
  auto in_process = RunGrove(other.path(), {"run", "examples/abalone.yaml", "--json"});
  ASSERT_EQ(in_process.exit_code, 0) << in_process.err;
  auto sub = Grove({"run", "examples/abalone.yaml", "--launcher", "subprocess", "--json"});
  ASSERT_EQ(sub.exit_code, 0) << sub.out << sub.err;
  EXPECT_EQ(sub.json()["status"], "Succeeded");
  Json a = Json::object();
  const Json in_process_run = in_process.json();
  for (const Json& s : in_process_run["steps"]) a[s["step"].get<std::string>()] = s;
  Json b = Steps(sub.json()["id"]);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, step] : a.items()) {
    EXPECT_EQ(b[name]["status"], step["status"]) << name;
    EXPECT_EQ(b[name]["cache_key"], step["cache_key"]) << name;
    EXPECT_EQ(b[name]["outputs"], step["outputs"]) << name;
  }
  EXPECT_EQ(b["RegisterAbaloneModel"]["metadata"]["model_version"]["version"], 1);
}

// The script kills the process running its step (`grove step-run`) the first
// time, as a crash or the OOM killer would; the retry succeeds.
TEST_F(LauncherE2ETest, AStepWhoseProcessIsKilledFailsAloneAndIsRetried) {
  fs::path marker = home_.path() / "crashed-once";
  fs::path def = home_.path() / "crash.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: crash
steps:
  - name: Crash
    type: Processing
    retry: {max_attempts: 2, interval_seconds: 0}
    arguments:
      command: [sh, -c, 'if [ ! -e )" + marker.string() + R"( ]; then touch )" + marker.string() +
                                R"(; kill -9 $PPID; sleep 5; fi; mkdir -p "$GROVE_OUTPUT_OUT"; echo ok > "$GROVE_OUTPUT_OUT/x"']
      outputs: [out]
  - {name: After, type: Processing, depends_on: [Crash], arguments: {command: [sh, -c, 'mkdir -p "$GROVE_OUTPUT_OUT"'], outputs: [out]}}
)")
                  .ok());
  auto r = Grove({"run", def.string(), "--launcher", "subprocess", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Json steps = Steps(r.json()["id"]);
  EXPECT_EQ(steps["Crash"]["status"], "Succeeded");
  EXPECT_EQ(steps["Crash"]["attempts"], 2);
  EXPECT_EQ(steps["After"]["status"], "Succeeded");
  auto logs = Grove({"execution", "logs", r.json()["id"], "Crash"});
  EXPECT_NE(logs.out.find("killed by signal 9"), std::string::npos) << logs.out;
}

TEST_F(LauncherE2ETest, AStepThatAbortsFailsWithTheSignalAsItsReason) {
  fs::path def = home_.path() / "abort.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: abort
steps:
  - {name: Boom, type: Processing, arguments: {command: [sh, -c, 'kill -ABRT $PPID; sleep 5'], outputs: [out]}}
)")
                  .ok());
  auto r = Grove({"run", def.string(), "--launcher", "subprocess", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  Json e = r.json();
  EXPECT_EQ(e["status"], "Failed");
  EXPECT_NE(e["failure_reason"].get<std::string>().find("killed by signal 6"), std::string::npos) << e.dump(2);
}

// A step that wants more memory than --step-memory-mb fails alone: its
// allocation fails in its own process, and the owner records the failure.
TEST_F(LauncherE2ETest, AStepOverItsMemoryLimitFailsAlone) {
  if (kShadowMemorySanitizer) GTEST_SKIP() << "a sanitized grove cannot start under an address-space limit";
  fs::path def = home_.path() / "hungry.yaml";
  ASSERT_TRUE(WriteFile(def, R"(
pipeline: hungry
steps:
  - name: Hungry
    type: Processing
    arguments: {command: [python3, -c, 'x = bytearray(3 * 1024 ** 3)'], outputs: [out]}
)")
                  .ok());
  auto r = Grove({"run", def.string(), "--launcher", "subprocess", "--step-memory-mb", "1024", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.json()["status"], "Failed");
  auto logs = Grove({"execution", "logs", r.json()["id"], "Hungry"});
  EXPECT_NE(logs.out.find("MemoryError"), std::string::npos) << logs.out;
}

TEST_F(LauncherE2ETest, StepRunIsAListedCommand) {
  auto r = Grove({"--help-all"});
  EXPECT_NE(r.out.find("step-run"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace grove::testing
