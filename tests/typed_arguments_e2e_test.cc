// End-to-end: quoted values follow one rule and type errors are caught before anything runs.

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

// A copy of examples/churn.yaml with `extra` added to its Evaluation step's arguments.
std::string ChurnWith(const std::string& extra) {
  std::string text = ReadFile(SourceDir() / "examples/churn.yaml").value();
  const std::string anchor = "      kind: binary_classification\n";
  size_t at = text.find(anchor);
  EXPECT_NE(at, std::string::npos);
  return text.insert(at + anchor.size(), extra);
}

TEST(TypedArgumentsE2ETest, QuotedThresholdRunsInsteadOfAbortingTheProcess) {
  TempDir home;
  ASSERT_TRUE(WriteFile(home.path() / "churn.yaml", ChurnWith("      threshold: \"0.5\"\n")).ok());
  auto r = RunGrove(home.path(), {"run", (home.path() / "churn.yaml").string(), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.json()["status"], "Succeeded");
}

TEST(TypedArgumentsE2ETest, AThresholdOfTheWrongTypeFailsBeforeAnythingRuns) {
  TempDir home;
  ASSERT_TRUE(WriteFile(home.path() / "churn.yaml", ChurnWith("      threshold: half\n")).ok());
  auto r = RunGrove(home.path(), {"run", (home.path() / "churn.yaml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("churn.yaml:53:18: steps.ChurnEval.arguments.threshold: expected a Number, got \"half\""),
            std::string::npos)
      << r.err;
  auto list = RunGrove(home.path(), {"execution", "list", "--json"});
  EXPECT_EQ(list.json().size(), 0u);  // Nothing ran.
}

}  // namespace
}  // namespace grove::testing
