// End-to-end: the real grove binary runs the bundled examples on the bundled data.

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

class PipelineE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  Json Steps(const std::string& execution_id) { return StepsByName(home_.path(), execution_id); }

  Json Run(const std::vector<std::string>& args, int expected_exit = 0) {
    std::vector<std::string> full = {"run"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--json");
    auto r = Grove(full);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    return r.exit_code == 2 || r.exit_code == 3 ? Json() : r.json();  // An execution ended: its JSON.
  }

  // The metric value in the evaluation report attached to a registered version.
  double ReportValue(const std::string& group, int version, const std::string& section, const std::string& metric) {
    auto r = Grove({"registry", "show", group + "/" + std::to_string(version), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string digest = r.json()["metrics"]["model_quality"];
    fs::path report = home_.path() / "artifacts" / "sha256" / digest.substr(0, 2) / digest;
    return Json::parse(ReadFile(report).value())[section][metric]["value"].get<double>();
  }

  TempDir home_;
};

TEST_F(PipelineE2ETest, AbaloneRegistersAModelWithTheExpectedMse) {
  Json e = Run({"examples/abalone.yaml"});
  EXPECT_EQ(e["status"], "Succeeded") << e.dump(2);
  Json steps = Steps(e["id"]);
  EXPECT_EQ(steps["RegisterAbaloneModel"]["status"], "Succeeded");
  EXPECT_EQ(steps["RegisterAbaloneModel"]["metadata"]["model_version"]["version"], 1);
  double mse = ReportValue("AbalonePackageGroup", 1, "regression_metrics", "mse");
  EXPECT_GT(mse, 3.5);
  EXPECT_LT(mse, 6.0);
  auto versions = Grove({"registry", "versions", "AbalonePackageGroup", "--json"});
  ASSERT_EQ(versions.exit_code, 0);
  EXPECT_EQ(versions.json().size(), 1u);
  EXPECT_EQ(versions.json()[0]["approval_status"], "PendingManualApproval");
}

TEST_F(PipelineE2ETest, ChurnRegistersAModelAboveTheAccuracyThreshold) {
  Json e = Run({"examples/churn.yaml"});
  EXPECT_EQ(e["status"], "Succeeded") << e.dump(2);
  double accuracy = ReportValue("CustomerChurnPackageGroup", 1, "binary_classification_metrics", "accuracy");
  EXPECT_GT(accuracy, 0.8);
  double auc = ReportValue("CustomerChurnPackageGroup", 1, "binary_classification_metrics", "auc");
  EXPECT_GT(auc, 0.85);
}

TEST_F(PipelineE2ETest, SecondRunIsServedFromCacheAndAChangedParameterRerunsOnlyDependants) {
  Json first = Run({"examples/abalone.yaml"});
  Json second = Run({"examples/abalone.yaml"});
  const Json second_steps = Steps(second["id"]);
  for (const auto& [name, step] : second_steps.items()) {
    // Conditions are always evaluated (instantly); registering is a side effect, never cached.
    if (step["type"] == "Condition" || step["type"] == "RegisterModel") continue;
    EXPECT_EQ(step["cache_hit_source"], first["id"]) << name;
  }
  EXPECT_EQ(second_steps["RegisterAbaloneModel"]["metadata"]["model_version"]["version"], 2);
  // The approval status only feeds the registration: everything before it is reused.
  Json third = Run({"examples/abalone.yaml", "-p", "ModelApprovalStatus=Approved"});
  Json steps = Steps(third["id"]);
  EXPECT_EQ(steps["AbaloneProcess"]["cache_hit_source"], first["id"]);
  EXPECT_EQ(steps["AbaloneTrain"]["cache_hit_source"], first["id"]);
  EXPECT_EQ(steps["AbaloneEval"]["cache_hit_source"], first["id"]);
  EXPECT_EQ(steps["RegisterAbaloneModel"]["cache_hit"], false);
  EXPECT_EQ(steps["RegisterAbaloneModel"]["metadata"]["model_version"]["version"], 3);
  EXPECT_EQ(steps["RegisterAbaloneModel"]["metadata"]["model_version"]["approval_status"], "Approved");
}

TEST_F(PipelineE2ETest, ChangedDataFileAtTheSamePathMissesTheCache) {
  fs::path data = home_.path() / "abalone.csv";
  std::string text = ReadFile(SourceDir() / "datasets/abalone/abalone-dataset.csv").value();
  ASSERT_TRUE(WriteFileAtomic(data, text).ok());
  Json first = Run({"examples/abalone.yaml", "-p", "InputData=" + data.string()});
  ASSERT_TRUE(WriteFileAtomic(data, text + "M,0.5,0.4,0.1,0.5,0.2,0.1,0.15,10\n").ok());
  Json second = Run({"examples/abalone.yaml", "-p", "InputData=" + data.string()});
  EXPECT_EQ(Steps(second["id"])["AbaloneProcess"]["cache_hit"], false);
}

TEST_F(PipelineE2ETest, UnreachableThresholdEndsInTheFailStepsMessage) {
  Json e = Run({"examples/abalone.yaml", "-p", "MseThreshold=0.5"}, 6);  // A condition not met: exit 6, not 1.
  EXPECT_EQ(e["status"], "Failed");
  EXPECT_EQ(e["failure_reason"], "Execution failed due to MSE > 0.5");
  Json steps = Steps(e["id"]);
  EXPECT_EQ(steps["AbaloneMSEFail"]["status"], "Failed");
  EXPECT_FALSE(steps.contains("RegisterAbaloneModel"));
  EXPECT_EQ(Grove({"registry", "versions", "AbalonePackageGroup"}).exit_code, 2);  // No group was created.
}

TEST_F(PipelineE2ETest, TwoProcessesRunConcurrentlyOnOneDataFolder) {
  int a = StartGrove(home_.path(), {"run", "examples/abalone.yaml", "-q"}, home_.path() / "a.log");
  int b = StartGrove(home_.path(), {"run", "examples/churn.yaml", "-q"}, home_.path() / "b.log");
  EXPECT_EQ(WaitGrove(a), 0) << ReadFile(home_.path() / "a.log").value();
  EXPECT_EQ(WaitGrove(b), 0) << ReadFile(home_.path() / "b.log").value();
  auto list = Grove({"execution", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  ASSERT_EQ(list.json().size(), 2u);
  for (const Json& e : list.json()) EXPECT_EQ(e["status"], "Succeeded");
}

TEST_F(PipelineE2ETest, ApprovalWorkflowThroughTheCli) {
  Run({"examples/abalone.yaml"});
  auto approve = Grove({"registry", "approve", "AbalonePackageGroup/1", "--comment", "looks good", "--by", "ana"});
  EXPECT_EQ(approve.exit_code, 0) << approve.err;
  auto again = Grove({"registry", "approve", "AbalonePackageGroup/1"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already Approved"), std::string::npos) << again.err;
  auto unknown = Grove({"registry", "reject", "AbalonePackageGroup/9"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no version 9"), std::string::npos) << unknown.err;
  auto shown = Grove({"registry", "show", "AbalonePackageGroup/1", "--json"}).json();
  EXPECT_EQ(shown["approval_status"], "Approved");
  EXPECT_EQ(shown["approval_comment"], "looks good");
  EXPECT_EQ(shown["approval_changed_by"], "ana");
}

}  // namespace
}  // namespace grove::testing
