// End-to-end: the command line itself (help, version, flags, messages) and
// seeing what a run produced (execution outputs, artifact show|cat|get).
// Each CLI defect has a regression test named after it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Writes hello.txt, sub/n.txt and an empty file into its `out` directory.
constexpr const char* kScriptPipeline = R"(pipeline: hello
steps:
  - name: Write
    type: Processing
    arguments:
      command: [sh, -c, 'echo hello > "$GROVE_OUTPUT_OUT/hello.txt"; mkdir "$GROVE_OUTPUT_OUT/sub"; echo 7 > "$GROVE_OUTPUT_OUT/sub/n.txt"; : > "$GROVE_OUTPUT_OUT/empty"']
      outputs: [out]
)";

class CliE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }
  CommandResult Expect(const std::vector<std::string>& args, int exit_code = 0) {
    CommandResult r = Grove(args);
    EXPECT_EQ(r.exit_code, exit_code) << args[0] << ": " << r.out << r.err;
    return r;
  }
  fs::path Write(const std::string& name, const std::string& text) {
    fs::path p = home_.path() / name;
    EXPECT_TRUE(WriteFileAtomic(p, text).ok());
    return p;
  }
  // Runs the script pipeline; returns the execution id.
  std::string RunScript() { return Expect({"run", Write("p.yaml", kScriptPipeline).string(), "--json"}).json()["id"]; }

  TempDir home_;
};

TEST_F(CliE2ETest, VersionPrintsTheProjectVersion) {
  auto r = Expect({"--version"});
  EXPECT_TRUE(std::regex_match(r.out, std::regex("grove [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
}

// Regression: --help-all listed the subcommands of `execution`, `endpoint`,
// ... by name only, without their options.
TEST_F(CliE2ETest, HelpAllListsNestedOptions) {
  auto r = Expect({"--help-all"});
  for (const char* option : {"--limit", "--pipeline", "--follow", "--require-capture", "--capture-percent",
                             "--report", "--comment", "--max-parallel", "--version"}) {
    EXPECT_THAT(r.out, HasSubstr(option)) << option;
  }
  EXPECT_THAT(r.out, HasSubstr("outputs"));
  EXPECT_THAT(r.out, HasSubstr("artifact"));
}

// Regression: `execution list --pipeline nope` printed nothing and exited 0.
TEST_F(CliE2ETest, ExecutionListOfAnUnknownPipelineExits2) {
  RunScript();
  auto r = Expect({"execution", "list", "--pipeline", "nope"}, 2);
  EXPECT_THAT(r.err, HasSubstr("no pipeline 'nope' (pipelines: hello)"));
  EXPECT_EQ(Expect({"execution", "list", "--pipeline", "hello", "--json"}).json().size(), 1u);
}

// Regression: --limit 0 and --limit -1 both listed everything.
TEST_F(CliE2ETest, ExecutionListLimitBelowOneExits2) {
  RunScript();
  RunScript();
  for (const char* limit : {"0", "-1"}) {
    auto r = Expect({"execution", "list", "--limit", limit}, 2);
    EXPECT_THAT(r.err, HasSubstr("expected 1 or more")) << limit;
  }
  EXPECT_EQ(Expect({"execution", "list", "--limit", "1", "--json"}).json().size(), 1u);
}

// Regression: `grove run <directory>` said "the definition is empty".
TEST_F(CliE2ETest, RunGivenADirectorySaysItIsADirectory) {
  auto r = Expect({"run", "examples"}, 2);
  EXPECT_THAT(r.err, HasSubstr("examples is a directory, not a definition file"));
  EXPECT_THAT(r.err, HasSubstr("examples/abalone.yaml"));
  EXPECT_THAT(r.err, Not(HasSubstr("empty")));
}

TEST_F(CliE2ETest, ExecutionOutputsAndArtifactShowCatGet) {
  std::string id = RunScript();
  auto outputs = Expect({"execution", "outputs", id, "--json"}).json();
  ASSERT_EQ(outputs.size(), 1u);
  EXPECT_EQ(outputs[0]["step"], "Write");
  EXPECT_EQ(outputs[0]["name"], "out");
  EXPECT_EQ(outputs[0]["is_directory"], true);
  std::string digest = outputs[0]["digest"];
  EXPECT_THAT(Expect({"execution", "outputs", id, "Write"}).out, HasSubstr(digest));
  Expect({"execution", "outputs", id, "Nope"}, 2);

  auto show = Expect({"artifact", "show", digest}).out;
  EXPECT_THAT(show, HasSubstr("directory"));
  EXPECT_THAT(show, HasSubstr("sub/n.txt"));
  EXPECT_THAT(show, HasSubstr("produced by"));
  EXPECT_THAT(show, HasSubstr(id));
  auto shown = Expect({"artifact", "show", digest, "--json"}).json();
  EXPECT_EQ(shown["lineage"][0]["step"], "Write");
  EXPECT_EQ(shown["files"].size(), 3u);

  EXPECT_EQ(Expect({"artifact", "cat", digest + "/hello.txt"}).out, "hello\n");
  EXPECT_EQ(Expect({"artifact", "cat", digest + "/empty"}).out, "");
  std::string uri = shown["uri"];
  EXPECT_EQ(Expect({"artifact", "cat", uri + "/sub/n.txt"}).out, "7\n");
  auto dir = Expect({"artifact", "cat", digest}, 2);
  EXPECT_THAT(dir.err, HasSubstr("is a directory"));
  EXPECT_THAT(dir.err, HasSubstr("hello.txt"));
  EXPECT_THAT(Expect({"artifact", "cat", "nope"}, 2).err, HasSubstr("is not an artifact"));
  Expect({"artifact", "show", std::string(64, 'a')}, 2);

  fs::path copy = home_.path() / "copy";
  Expect({"artifact", "get", digest, copy.string()});
  EXPECT_EQ(ReadFile(copy / "sub" / "n.txt").value(), "7\n");
}

}  // namespace
}  // namespace grove::testing
