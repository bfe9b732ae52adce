// End-to-end: what `grove registry show` tells about a registered version:
// its review state, its artifacts and the whole evaluation report.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RegistryE2ETest : public ::testing::Test {
 protected:
  void SetUp() override { Expect({"run", "examples/churn.yaml", "-q"}); }
  CommandResult Expect(const std::vector<std::string>& args, int exit_code = 0) {
    CommandResult r = RunGrove(home_.path(), args);
    EXPECT_EQ(r.exit_code, exit_code) << args[0] << ": " << r.out << r.err;
    return r;
  }
  TempDir home_;
};

// Regression: a version never reviewed printed "changed by      at -".
TEST_F(RegistryE2ETest, RegistryShowOfAVersionNeverReviewedSaysSo) {
  auto pending = Expect({"registry", "show", "CustomerChurnPackageGroup/1"}).out;
  EXPECT_THAT(pending, HasSubstr("changed by     not reviewed yet\n"));
  EXPECT_THAT(pending, Not(HasSubstr(" at -")));
  Expect({"registry", "approve", "CustomerChurnPackageGroup/1", "--by", "ana", "--comment", "good"});
  auto approved = Expect({"registry", "show", "CustomerChurnPackageGroup/1"}).out;
  EXPECT_THAT(approved, HasSubstr("changed by     ana at 20"));
  EXPECT_THAT(approved, HasSubstr("comment        good\n"));
}

TEST_F(RegistryE2ETest, RegistryShowNamesTheReportAndTransformArtifacts) {
  Json v = Expect({"registry", "show", "CustomerChurnPackageGroup/1", "--json"}).json();
  std::string report = v["metrics"]["model_quality"], transform = v["metadata"]["transform"];
  auto text = Expect({"registry", "show", "CustomerChurnPackageGroup/1"}).out;
  EXPECT_THAT(text, HasSubstr("report         " + report));
  EXPECT_THAT(text, HasSubstr("transform      " + transform));
  EXPECT_THAT(text, HasSubstr("metrics        accuracy="));
  // The names are artifacts the artifact command reads.
  EXPECT_EQ(Expect({"artifact", "cat", report}).json()["binary_classification_metrics"]["accuracy"]["value"],
            Expect({"registry", "show", "CustomerChurnPackageGroup/1", "--report", "--json"})
                .json()["report"]["binary_classification_metrics"]["accuracy"]["value"]);
}

TEST_F(RegistryE2ETest, RegistryShowReportPrintsTheWholeReport) {
  auto out = Expect({"registry", "show", "CustomerChurnPackageGroup/1", "--report"}).out;
  EXPECT_THAT(out, HasSubstr("binary_classification_metrics"));
  for (const char* metric : {"accuracy", "precision", "recall", "f1", "auc"}) EXPECT_THAT(out, HasSubstr(metric));
  EXPECT_THAT(out, HasSubstr("confusion_matrix (rows: actual, columns: predicted)"));
  EXPECT_THAT(out, HasSubstr("predicted 0"));
  EXPECT_THAT(out, HasSubstr("actual 1"));
  EXPECT_THAT(out, HasSubstr("receiver_operating_characteristic_curve ("));
  EXPECT_THAT(out, HasSubstr("false_positive_rates"));
  EXPECT_THAT(out, HasSubstr("precision_recall_curve ("));
  EXPECT_LT(std::count(out.begin(), out.end(), '\n'), 80) << "curves stay compact:\n" << out;
}

}  // namespace
}  // namespace grove::testing
