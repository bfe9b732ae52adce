#include "pipeline/steps/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/file_util.h"
#include "pipeline/steps/script_runner.h"

namespace grove::pipeline {
namespace {

size_t IndexOf(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

TEST(SandboxTest, ParentsAreMountedBeforeWhatLiesInsideThem) {
  SandboxSpec spec;
  spec.read_only_binds = {{"/host/code", "/opt/ml/processing/input/code"}, {"/host/in", "/opt/ml/processing/input"}};
  spec.binds = {{"/host/out", "/opt/ml/processing/train"}};
  spec.env = {{"PATH", "/usr/bin"}};
  spec.argv = {"python3", "/opt/ml/processing/input/code/run.py"};
  const auto cmd = SandboxCommand("/usr/bin/bwrap", spec);
  EXPECT_EQ(cmd.front(), "/usr/bin/bwrap");
  EXPECT_LT(IndexOf(cmd, "/opt/ml/processing/input"), IndexOf(cmd, "/opt/ml/processing/input/code"));
  EXPECT_EQ(cmd[IndexOf(cmd, "/host/out") - 1], "--bind");
  EXPECT_EQ(cmd[IndexOf(cmd, "/host/in") - 1], "--ro-bind");
  EXPECT_LT(IndexOf(cmd, "--clearenv"), IndexOf(cmd, "--setenv"));
  EXPECT_EQ(cmd[IndexOf(cmd, "--chdir") + 1], "/");
  EXPECT_EQ(std::vector<std::string>(cmd.end() - 3, cmd.end()),
            (std::vector<std::string>{"--", "python3", "/opt/ml/processing/input/code/run.py"}));
}

// With bwrap installed: the script sees its folders, a writable private `/`
// as its working directory, only the environment given, and a read-only system.
TEST(SandboxTest, AScriptSeesThePrivateViewItWasWrittenFor) {
  auto bwrap = FindBwrap();
  if (!bwrap.ok()) GTEST_SKIP() << bwrap.status().message();
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "in");
  ASSERT_TRUE(WriteFile(dir.path() / "in" / "data.txt", "42").ok());
  std::filesystem::create_directories(dir.path() / "out");
  SandboxSpec spec;
  spec.read_only_binds = {{dir.path() / "in", "/opt/ml/processing/input"}};
  spec.binds = {{dir.path() / "out", "/opt/ml/processing/output"}};
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}};
  spec.argv = {"sh", "-c",
               "pwd > /opt/ml/processing/output/pwd; echo x > ./at-root && cat /at-root >> /opt/ml/processing/output/pwd;"
               " env | grep -c . > /opt/ml/processing/output/env; echo $ONLY >> /opt/ml/processing/output/env;"
               " cat /opt/ml/processing/input/data.txt > /opt/ml/processing/output/copy;"
               " touch /usr/grove-test 2>/dev/null && echo writable > /opt/ml/processing/output/usr || true"};
  std::vector<std::string> lines;
  ScriptRequest run;
  run.argv = SandboxCommand(*bwrap, spec);
  run.log = [&](const std::string& line) { lines.push_back(line); };
  Status s = RunScript(run);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadFile(dir.path() / "out" / "pwd").value(), "/\nx\n");
  EXPECT_EQ(ReadFile(dir.path() / "out" / "copy").value(), "42");
  const std::string env = ReadFile(dir.path() / "out" / "env").value();
  EXPECT_NE(env.find("this"), std::string::npos);
  EXPECT_LT(std::stoi(env), 6) << "the host's environment leaked in: " << env;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "usr")) << "/usr is writable inside";
  EXPECT_FALSE(std::filesystem::exists("/at-root"));
}

}  // namespace
}  // namespace grove::pipeline
