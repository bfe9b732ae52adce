#include "ml/tuner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <set>

#include "ml/label_first_csv.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"
#include "ml/tpe_search.h"

namespace grove::ml {
namespace {

// Two families whose scores differ by hyperparameters: logistic regression's C
// and random forest's depth.
constexpr const char* kSpace = R"({
  "logistic_regression": {"C": {"logspace": [-4, 2, 7]}, "max_iter": [50]},
  "random_forest": {"n_estimators": [5, 10], "max_depth": [1, 2, 3]}})";

// What the probe family saw: fits in all, and fits begun after the stop flag was set.
struct FitProbe {
  std::atomic<int> fits{0};
  std::atomic<int> fits_after_stop{0};
  std::atomic<bool>* stop = nullptr;
  int stop_at_fit = 0;  // Sets *stop as fit number `stop_at_fit` (1-based) begins; 0: never.
};

// A classifier whose probability is the sigmoid of feature 0, whatever it is
// fitted on, so a score tells which data set it was scored on.
class ProbeModel : public Model {
 public:
  ProbeModel(TaskKind task, Json hyperparameters, FitProbe* probe)
      : Model(task, std::move(hyperparameters)), probe_(probe) {}
  std::string_view family() const override { return "probe"; }

 protected:
  Status FitImpl(const Dataset&) override {
    if (probe_->stop != nullptr && probe_->stop->load()) ++probe_->fits_after_stop;
    if (++probe_->fits == probe_->stop_at_fit) probe_->stop->store(true);
    return Status::OK();
  }
  Result<std::vector<double>> PredictImpl(const Features& x) const override {
    std::vector<double> out(x.rows);
    for (size_t r = 0; r < x.rows; ++r) out[r] = 1 / (1 + std::exp(-x.At(r, 0)));
    return out;
  }
  Result<Json> SaveState() const override { return Json::object(); }
  Status LoadState(const Json&) override { return Status::OK(); }

 private:
  FitProbe* probe_;
};

// Proposes `max_trials` probe trials; counts the proposals made after the stop flag was set.
class ProbeSearch : public SearchStrategy {
 public:
  ProbeSearch(int max_trials, const std::atomic<bool>* stop) : max_trials_(max_trials), stop_(stop) {}
  std::optional<TrialSpec> Next() override {
    if (next_ == max_trials_) return std::nullopt;
    if (stop_ != nullptr && stop_->load()) ++proposed_after_stop;
    TrialSpec spec{next_, "probe", {{"trial", next_}}};
    ++next_;
    return spec;
  }
  int proposed() const { return next_; }
  int proposed_after_stop = 0;

 private:
  int max_trials_;
  const std::atomic<bool>* stop_;
  int next_ = 0;
};

ModelRegistry ProbeRegistry(FitProbe* probe) {
  ModelRegistry registry;
  auto create = [probe](const Json& hyperparameters, TaskKind task) -> Result<std::unique_ptr<Model>> {
    return std::unique_ptr<Model>(std::make_unique<ProbeModel>(task, hyperparameters, probe));
  };
  EXPECT_TRUE(registry.Register({"probe", {TaskKind::kBinaryClassification}, create}).ok());
  return registry;
}

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

// Issue 8 (item 10): no test failed if hold-out tuning scored each trial on
// `train` instead of `validation`. Feature 0 ranks train's labels perfectly
// (AUC 1) and validation's exactly backwards (AUC 0), so the score tells.
TEST_F(TunerTest, HoldOutTuningScoredOnTrain) {
  FitProbe probe;
  ModelRegistry registry = ProbeRegistry(&probe);
  Dataset train = Dataset::FromLabelFirstRows({{0, -2}, {1, 2}, {0, -1}, {1, 1}});
  Dataset validation = Dataset::FromLabelFirstRows({{1, -2}, {0, 2}, {1, -1}, {0, 1}});
  scoring_.train = &train;
  scoring_.validation = &validation;
  scoring_.registry = &registry;
  ProbeSearch search(2, nullptr);
  Result<std::vector<TrialResult>> results = Tuner(search, scoring_, TunerOptions{}).Run();
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 2u);
  for (const TrialResult& r : *results) {
    EXPECT_EQ(r.outcome.status, "Completed");
    EXPECT_EQ(r.outcome.fold_scores, std::vector<double>{0.0});  // 1.0 if scored on train.
    EXPECT_EQ(r.outcome.mean, 0.0);
  }
  EXPECT_EQ(probe.fits.load(), 2);  // One fit per trial: hold-out, not cross-validation.
}

// Issue 8 (item 10): AStopRequestEndsTheSearchCancelled sets the stop before
// the search starts, so a tuner that checks it only before the first trial
// passed. Here the stop comes while a trial runs (during its second fold): no
// trial is proposed after it, no fold is fitted after it by the trial that saw
// it, and at most one more fold by each other trial already running.
TEST_F(TunerTest, ATunerStopHonouredOnlyBeforeTheFirstTrial) {
  for (int workers : {1, 3}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    std::atomic<bool> stop{false};
    FitProbe probe;
    probe.stop = &stop;
    probe.stop_at_fit = 2;
    ModelRegistry registry = ProbeRegistry(&probe);
    scoring_.registry = &registry;
    ProbeSearch search(20, &stop);
    std::vector<int> recorded;
    TunerOptions options;
    options.workers = workers;
    options.stop = &stop;
    options.on_finished = [&recorded](const TrialResult& r) {
      recorded.push_back(r.spec.number);
      return Status::OK();
    };
    Result<std::vector<TrialResult>> results = Tuner(search, scoring_, std::move(options)).Run();
    EXPECT_EQ(results.status().code(), StatusCode::kCancelled);
    EXPECT_EQ(search.proposed_after_stop, 0);
    EXPECT_LE(search.proposed(), workers);  // Those started before the stop; 20 if it were ignored.
    EXPECT_LE(probe.fits_after_stop.load(), workers - 1);
    EXPECT_LE(probe.fits.load(), 2 + (workers - 1) * 2);  // 4 folds per trial: far fewer than 20 * 4.
    if (workers == 1) {
      EXPECT_EQ(probe.fits.load(), 2);
    }
    EXPECT_TRUE(recorded.empty());  // Interrupted trials did not finish.
  }
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
