#include "ml/tuner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ml/label_first_csv.h"
#include "ml/test_data.h"
#include "ml/tpe_search.h"

namespace grove::ml {
namespace {

// Two families whose scores differ by hyperparameters: logistic regression's C
// and random forest's depth.
constexpr const char* kSpace = R"({
  "logistic_regression": {"C": {"logspace": [-4, 2, 7]}, "max_iter": [50]},
  "random_forest": {"n_estimators": [5, 10], "max_depth": [1, 2, 3]}})";

class TunerTest : public ::testing::Test {
 protected:
  TunerTest()
      : data_(Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(200, 3, 5), "m").value())),
        scorer_(Scorer::ByName("roc_auc").value()) {
    scoring_.train = &data_;
    scoring_.scorer = &scorer_;
    scoring_.folds = 4;
    scoring_.seed = 1;
  }

  std::vector<TrialResult> Run(int workers, int trials, std::map<int, TrialResult> finished = {},
                               std::vector<int>* recorded = nullptr) {
    SearchSpace space = ParseSearchSpace(Json::parse(kSpace)).value();
    auto strategy = MakeRandomSearch(space, 3, trials);
    TunerOptions options;
    options.workers = workers;
    options.lag = 2;
    options.finished = std::move(finished);
    options.on_finished = [recorded](const TrialResult& r) {
      if (recorded != nullptr) recorded->push_back(r.spec.number);
      return Status::OK();
    };
    auto results = Tuner(*strategy, scoring_, std::move(options)).Run();
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? *results : std::vector<TrialResult>{};
  }

  Dataset data_;
  Scorer scorer_;
  TrialScoring scoring_;
};

TEST_F(TunerTest, RunsEveryTrialInParallelAndRecordsEachOnce) {
  std::vector<int> recorded;
  std::vector<TrialResult> results = Run(3, 12, {}, &recorded);
  ASSERT_EQ(results.size(), 12u);
  EXPECT_EQ(std::set<int>(recorded.begin(), recorded.end()).size(), 12u);
  for (int k = 0; k < 12; ++k) {
    EXPECT_EQ(results[k].spec.number, k);
    EXPECT_EQ(results[k].outcome.status, "Completed");
    EXPECT_EQ(results[k].outcome.fold_scores.size(), 4u);
  }
}

TEST_F(TunerTest, SameResultsWithOneWorkerOrThree) {
  std::vector<TrialResult> a = Run(1, 10), b = Run(3, 10);
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].spec.hyperparameters, b[k].spec.hyperparameters);
    EXPECT_EQ(a[k].outcome.fold_scores, b[k].outcome.fold_scores);
  }
}

TEST_F(TunerTest, ReusesFinishedTrialsWhoseSpecMatches) {
  std::vector<TrialResult> first = Run(2, 8);
  std::map<int, TrialResult> finished;
  for (int k : {0, 1, 2, 5}) finished[k] = first[k];
  finished[5].spec.hyperparameters["C"] = 123.0;  // No longer what trial 5 proposes: run again.
  finished[2].outcome.fold_scores = {0.5};        // Marked so reuse is visible.
  std::vector<int> recorded;
  std::vector<TrialResult> second = Run(2, 8, finished, &recorded);
  std::sort(recorded.begin(), recorded.end());
  EXPECT_EQ(recorded, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));  // Reused ones too.
  for (int k = 0; k < 8; ++k) EXPECT_EQ(second[k].reused, k <= 2) << k;
  EXPECT_TRUE(second[2].reused);
  EXPECT_EQ(second[2].outcome.fold_scores, std::vector<double>{0.5});
  EXPECT_FALSE(second[5].reused);
  EXPECT_EQ(second[5].outcome.fold_scores, first[5].outcome.fold_scores);
}

TEST_F(TunerTest, EarlyStoppingPrunesClearlyWorseTrialsTheSameWayForAnySchedule) {
  scoring_.early_stopping = {.enabled = true, .min_folds = 1, .tolerance = 0.02};
  std::vector<TrialResult> a = Run(1, 16), b = Run(3, 16);
  int pruned = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].outcome.status, b[k].outcome.status) << k;
    EXPECT_EQ(a[k].outcome.fold_scores, b[k].outcome.fold_scores) << k;
    if (a[k].outcome.status == "Pruned") {
      ++pruned;
      EXPECT_LT(a[k].outcome.fold_scores.size(), 4u);
    }
  }
  EXPECT_GT(pruned, 0);
  auto best = Tuner::Best(a);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(a[*best].outcome.status, "Completed");
  for (const TrialResult& r : a) {
    if (r.outcome.status == "Completed") {
      EXPECT_LE(r.outcome.mean, a[*best].outcome.mean);
    }
  }
}

TEST_F(TunerTest, BadHyperparametersFailTheTrialNotTheSearch) {
  SearchSpace space = ParseSearchSpace(Json::parse(R"({"mlp": {"max_iter": [0]}, "gaussian_nb": {}})")).value();
  auto strategy = MakeRandomSearch(space, 1, 6);
  auto results = Tuner(*strategy, scoring_, TunerOptions{}).Run();
  ASSERT_TRUE(results.ok());
  bool failed = false, completed = false;
  for (const TrialResult& r : *results) {
    if (r.spec.family == "mlp") {
      failed = true;
      EXPECT_EQ(r.outcome.status, "Failed");
      EXPECT_NE(r.outcome.error.find("max_iter"), std::string::npos) << r.outcome.error;
      EXPECT_TRUE(std::isnan(r.outcome.mean));
    } else {
      completed = r.outcome.status == "Completed";
    }
  }
  EXPECT_TRUE(failed && completed);
}

TEST_F(TunerTest, AStopRequestEndsTheSearchCancelled) {
  std::atomic<bool> stop{true};
  SearchSpace space = ParseSearchSpace(Json::parse(kSpace)).value();
  auto strategy = MakeRandomSearch(space, 1, 6);
  TunerOptions options;
  options.stop = &stop;
  auto results = Tuner(*strategy, scoring_, std::move(options)).Run();
  EXPECT_EQ(results.status().code(), StatusCode::kCancelled);
}

TEST_F(TunerTest, BayesianSearchRunsInParallelDeterministically) {
  SearchSpace space = ParseSearchSpace(Json::parse(kSpace)).value();
  auto run = [&](int workers) {
    auto strategy = MakeBayesianSearch(space, 4, 14, {.warmup_trials = 4, .history_lag = 2});
    TunerOptions options;
    options.workers = workers;
    return Tuner(*strategy, scoring_, std::move(options)).Run().value();
  };
  std::vector<TrialResult> a = run(1), b = run(3);
  ASSERT_EQ(a.size(), 14u);
  ASSERT_EQ(b.size(), 14u);
  for (size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].spec.hyperparameters, b[k].spec.hyperparameters) << k;
}

}  // namespace
}  // namespace grove::ml
