// End-to-end: seed 000's model selection pipeline on both bundled data sets at
// once (two grove processes sharing one home), then the trials listing.

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

class MultimodelE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }

  // Starts the pipeline for one data set with a short search (CI has 2 cores).
  int Start(const std::string& dataset, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"run",   "examples/multimodel.yaml", "-p", "DatasetName=" + dataset,
                                     "-p",    "MaxTuningJobs=10",         "-p", "MaxTuningParallelJobs=2",
                                     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return StartGrove(home_.path(), args, home_.path() / (dataset + ".json"));
  }

  std::string Text(const std::string& dataset) {
    auto text = ReadFile(home_.path() / (dataset + ".json"));
    return text.ok() ? *text : text.status().message();
  }
  Json Output(const std::string& dataset) { return Json::parse(Text(dataset)); }

  TempDir home_;
};

TEST_F(MultimodelE2ETest, BothDataSetsConcurrentlyRegisterAndListTheirTrials) {
  int breast = Start("breast-cancer");
  int banknote = Start("banknote-authentication");
  ASSERT_EQ(WaitGrove(breast), 0) << Text("breast-cancer");
  ASSERT_EQ(WaitGrove(banknote), 0) << Text("banknote-authentication");

  for (const std::string dataset : {"breast-cancer", "banknote-authentication"}) {
    Json e = Output(dataset);
    EXPECT_EQ(e["status"], "Succeeded") << e.dump(2);
    const std::string group = "sklearn-multimodel-" + dataset;
    auto versions = Grove({"registry", "versions", group, "--json"});
    ASSERT_EQ(versions.exit_code, 0) << versions.err;
    ASSERT_EQ(versions.json().size(), 1u);
    EXPECT_EQ(versions.json()[0]["approval_status"], "PendingManualApproval");

    auto version = Grove({"registry", "show", group + "/1", "--json"}).json();
    std::string digest = version["metrics"]["model_quality"];
    Json report = Json::parse(ReadFile(home_.path() / "artifacts" / "sha256" / digest.substr(0, 2) / digest).value());
    const Json& metrics = report["binary_classification_metrics"];
    EXPECT_EQ(report["register_metric"], metrics["auc"]);
    EXPECT_GT(metrics["auc"]["value"].get<double>(), 0.95) << dataset;
    EXPECT_TRUE(metrics.contains("confusion_matrix"));
    EXPECT_TRUE(metrics["receiver_operating_characteristic_curve"].contains("true_positive_rates"));
    EXPECT_TRUE(metrics["precision_recall_curve"].contains("precisions"));

    auto trials = Grove({"execution", "trials", e["id"], "--json"});
    ASSERT_EQ(trials.exit_code, 0) << trials.err;
    ASSERT_EQ(trials.json().size(), 10u);
    int best = 0;
    for (const Json& t : trials.json()) {
      EXPECT_EQ(t["step"], "TuningWithCrossValidation");
      EXPECT_EQ(t["status"], "Completed") << t.dump();
      EXPECT_EQ(t["fold_scores"].size(), 5u);
      best += t["best"].get<bool>() ? 1 : 0;
      if (t["best"].get<bool>()) {
        EXPECT_EQ(version["metadata"]["family"], t["family"]);
      }
    }
    EXPECT_EQ(best, 1);
    auto table = Grove({"execution", "trials", e["id"], "--step", "TuningWithCrossValidation"});
    EXPECT_EQ(table.exit_code, 0);
    EXPECT_NE(table.out.find("10 trial(s), best #"), std::string::npos) << table.out;
  }
}

TEST_F(MultimodelE2ETest, AMetricBelowTheThresholdFailsWithTheReferenceMessage) {
  int pid = Start("banknote-authentication", {"-p", "MinThesholdForRegisterMetric=1.5", "-p", "MaxTuningJobs=3"});
  EXPECT_EQ(WaitGrove(pid), 6);  // Ended at its Fail step: a condition not met.
  Json e = Output("banknote-authentication");
  EXPECT_EQ(e["status"], "Failed");
  EXPECT_NE(
      e["failure_reason"].get<std::string>().find("Execution failed because auc value is less than the required 1.5"),
      std::string::npos)
      << e.dump(2);
  EXPECT_NE(Grove({"registry", "versions", "sklearn-multimodel-banknote-authentication", "--json"}).exit_code, 0);
}

TEST_F(MultimodelE2ETest, ARerunIsACacheHitAndListsTheTrialsOfTheRunThatRanThem) {
  std::vector<std::string> args = {"run", "examples/multimodel.yaml", "-p",    "DatasetName=breast-cancer",
                                   "-p",  "MaxTuningJobs=3",          "--json"};
  auto first = Grove(args);
  auto second = Grove(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::string first_id = first.json()["id"], second_id = second.json()["id"];
  auto steps = Grove({"execution", "steps", second_id, "--json"}).json();
  for (const Json& step : steps) {
    if (step["step"] == "TuningWithCrossValidation") {
      EXPECT_EQ(step["cache_hit_source"], first_id);
    }
  }
  auto trials = Grove({"execution", "trials", second_id, "--json"});
  ASSERT_EQ(trials.exit_code, 0) << trials.err;
  ASSERT_EQ(trials.json().size(), 3u);
  EXPECT_EQ(trials.json()[0]["execution_id"], first_id);
}

TEST_F(MultimodelE2ETest, AnUnknownScorerIsRejectedListingTheValidOnes) {
  auto r =
      Grove({"run", "examples/multimodel.yaml", "-p", "DatasetName=breast-cancer", "-p", "CrossValidationScorer=auc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("roc_auc"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace grove::testing
