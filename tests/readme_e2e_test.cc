// End-to-end: the README's command blocks run as written, in order, as a new
// user would type them from the source folder (a scratch copy of it: the
// examples, the data sets and build/grove), with the default data folder.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <regex>
#include <sstream>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

// The commands of the README's ```sh blocks, continuation lines joined,
// without the ones that need a terminal of their own or another tool: `make`
// (builds), `build/grove server` (runs until stopped) and `curl` (needs it);
// and without the model-selection runs, minutes of search each on a shared
// machine, which multimodel_e2e_test covers.
std::vector<std::string> ReadmeCommands() {
  std::istringstream readme(ReadFile(SourceDir() / "README.md").value());
  std::vector<std::string> commands;
  bool in_block = false;
  std::string pending;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block && line == "```sh";
      continue;
    }
    if (!in_block) continue;
    pending += line;
    if (!pending.empty() && pending.back() == '\\') {
      pending.pop_back();
      continue;
    }
    std::string command = pending;  // sh reads the trailing "# comments" as comments.
    pending.clear();
    if (command.empty() || command.rfind("make ", 0) == 0 || command.rfind("build/grove server", 0) == 0 ||
        command.rfind("curl ", 0) == 0 || command.find("examples/multimodel.yaml") != std::string::npos) {
      continue;
    }
    commands.push_back(command);
  }
  return commands;
}

class ReadmeE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* dir : {"examples", "datasets"}) fs::create_directory_symlink(SourceDir() / dir, work_.path() / dir);
    fs::create_directories(work_.path() / "build");
    fs::create_symlink(GROVE_BINARY, work_.path() / "build" / "grove");
  }

  // Runs `command` with sh in the scratch folder; returns its exit code, output in *out.
  int Sh(const std::string& command, std::string* out) {
    EXPECT_TRUE(WriteFileAtomic(work_.path() / "command.sh", command + "\n").ok());
    std::string line = "cd '" + work_.path().string() + "' && env -u GROVE_HOME sh command.sh > output.txt 2>&1";
    int status = std::system(line.c_str());
    Result<std::string> text = ReadFile(work_.path() / "output.txt");
    *out = text.ok() ? *text : "";
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // Replaces <id> with the newest execution and <digest> with its first output.
  std::string Substitute(std::string command) {
    std::string out;
    if (command.find("<id>") != std::string::npos || command.find("<digest>") != std::string::npos) {
      EXPECT_EQ(Sh("build/grove execution list --limit 1 --json", &out), 0) << out;
      std::string id = Json::parse(out)[0]["id"];
      command = std::regex_replace(command, std::regex("<id>"), id);
      EXPECT_EQ(Sh("build/grove execution outputs " + id + " --json", &out), 0) << out;
      Json outputs = Json::parse(out);
      if (!outputs.empty()) command = std::regex_replace(command, std::regex("<digest>"), outputs[0]["digest"].get<std::string>());
    }
    return command;
  }

  TempDir work_;
};

TEST_F(ReadmeE2ETest, TheReadmeRunsAsWritten) {
  std::vector<std::string> commands = ReadmeCommands();
  ASSERT_GT(commands.size(), 15u);
  bool promoted = false;
  for (const std::string& written : commands) {
    std::string command = Substitute(written);
    std::string out;
    ASSERT_EQ(Sh(command, &out), 0) << "README command failed: " << written << "\n" << out;
    promoted = promoted || written.find("endpoint promote") != std::string::npos;
  }
  EXPECT_TRUE(promoted);
  EXPECT_TRUE(fs::exists(work_.path() / ".grove" / "grove.db")) << "the default data folder";
}

}  // namespace
}  // namespace grove::testing
