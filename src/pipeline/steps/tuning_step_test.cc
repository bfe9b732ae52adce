#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/file_util.h"
#include "ml/model_registry.h"
#include "ml/test_data.h"
#include "pipeline/validator.h"
#include "pipeline/yaml_reader.h"
#include "store/sqlite_metadata_store.h"

namespace grove::pipeline {
namespace {

using ::testing::HasSubstr;

constexpr const char* kSpace = R"({
  "logistic_regression": {"C": {"logspace": [-3, 2, 6]}, "max_iter": [100]},
  "gaussian_nb": {"var_smoothing": {"logspace": [-9, -1, 5]}}})";

// Runs the Tuning step type directly, as the executor would, against a real
// SQLite metadata store in a temporary folder.
class TuningStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value();
    CreateExecution("e1");
    train_ = ml::testing::WriteText(dir_.path() / "train.csv", ml::testing::BinaryCsv(240, 3, 17));
    step_.name = "Tune";
    step_.type = "Tuning";
  }

  void CreateExecution(const std::string& id) {
    store::DefinitionRecord def{"p", 0, "", "steps: []", "p.yaml", 0};
    store::ExecutionRecord e;
    e.id = id;
    e.pipeline = "p";
    e.version = store_->PutDefinition(def, "").value();
    e.status = store::kExecuting;
    ASSERT_TRUE(store_->CreateExecution(e).ok());
  }

  Json Arguments(int max_trials) {
    return Json{{"train", train_.string()},
                {"search_space", Json::parse(kSpace)},
                {"max_trials", max_trials},
                {"max_parallel_trials", 3},
                {"scoring", "roc_auc"},
                {"cv_folds", 4},
                {"seed", 5}};
  }

  // One attempt of the step; its outputs land in a fresh folder.
  Status RunStep(const Json& arguments, StepContext* ctx, const std::string& execution_id = "e1") {
    ctx->step = &step_;
    ctx->arguments = arguments;
    ctx->execution_id = execution_id;
    ctx->output_dir = dir_.path() / ("out" + std::to_string(++attempts_));
    ctx->log = [this](const std::string& line) { log_ += line + "\n"; };
    ctx->threads = 2;
    ctx->store = store_.get();
    EXPECT_TRUE(MakeDirs(ctx->output_dir).ok());
    return StepTypeRegistry::BuiltIn().Find("Tuning")->Run(*ctx);
  }

  Json ReadJson(const std::filesystem::path& p) { return Json::parse(ReadFile(p).value()); }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> store_;
  std::filesystem::path train_;
  StepDef step_;
  int attempts_ = 0;
  std::string log_;
};

TEST_F(TuningStepTest, WritesBestTrialsAndRefitModelAndRecordsEveryTrial) {
  StepContext ctx;
  ASSERT_TRUE(RunStep(Arguments(8), &ctx).ok()) << log_;
  auto trials = store_->ListTrials("e1", "Tune").value();
  ASSERT_EQ(trials.size(), 8u);
  Json best = ReadJson(ctx.OutputPath("best"));
  Json doc = ReadJson(ctx.OutputPath("trials"));
  ASSERT_EQ(doc["trials"].size(), 8u);
  double best_mean = -1;
  for (const store::TrialRecord& t : trials) {
    EXPECT_EQ(t.status, store::kTrialCompleted);
    EXPECT_EQ(t.fold_scores.size(), 4u);
    best_mean = std::max(best_mean, t.mean_score);
  }
  EXPECT_DOUBLE_EQ(best["mean_score"].get<double>(), best_mean);
  EXPECT_EQ(doc["best_trial"], best["trial"]);
  auto model = ml::ModelRegistry::BuiltIn().Load(ReadFile(ctx.OutputPath("model")).value());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->family(), best["family"].get<std::string>());
  EXPECT_EQ((*model)->hyperparameters(), best["hyperparameters"]);
  EXPECT_EQ(ctx.metadata["trials"]["Completed"], 8);
}

// A crash after some trials finished: the step runs again in the same
// execution and takes the recorded trials instead of running them. Trial 1's
// record carries a score no real run gives, so taking it is visible.
TEST_F(TuningStepTest, ResumesFromTheTrialsRecordedBeforeACrash) {
  StepContext first;
  ASSERT_TRUE(RunStep(Arguments(3), &first).ok()) << log_;  // Trials 0..2 finish, then "the crash".
  store::TrialRecord t1 = store_->ListTrials("e1", "Tune").value()[1];
  t1.fold_scores = {0.9999, 0.9999, 0.9999, 0.9999};
  t1.mean_score = 0.9999;
  ASSERT_TRUE(store_->PutTrial(t1).ok());

  StepContext second;
  ASSERT_TRUE(RunStep(Arguments(7), &second).ok()) << log_;
  EXPECT_EQ(second.metadata["trials"]["Reused"], 3);
  Json best = ReadJson(second.OutputPath("best"));
  EXPECT_EQ(best["trial"], 1);
  EXPECT_DOUBLE_EQ(best["mean_score"].get<double>(), 0.9999);
  auto trials = store_->ListTrials("e1", "Tune").value();
  ASSERT_EQ(trials.size(), 7u);
  EXPECT_DOUBLE_EQ(trials[1].mean_score, 0.9999);  // Not overwritten by a re-run.
  Json doc = ReadJson(second.OutputPath("trials"));
  EXPECT_EQ(doc["trials"][0]["reused"], true);
  EXPECT_EQ(doc["trials"][3]["reused"], false);
}

// A process died mid-search (its execution failed with the lease); `grove run`
// again starts a new execution whose Tuning step has the same cache key: the
// trials the dead one finished are taken, and recorded in the new execution.
TEST_F(TuningStepTest, ANewExecutionResumesTheTrialsOfACrashedOneWithTheSameCacheKey) {
  CreateExecution("crashed");
  store::StepRunRecord run;
  run.execution_id = "crashed";
  run.step_name = "Tune";
  run.step_type = "Tuning";
  run.status = store::kFailed;
  run.cache_key = "same-inputs";
  ASSERT_TRUE(store_->PutStepRun(run, {}, {}).ok());
  StepContext crashed;
  crashed.cache_key = "same-inputs";
  ASSERT_TRUE(RunStep(Arguments(2), &crashed, "crashed").ok());
  store::TrialRecord t0 = store_->ListTrials("crashed", "Tune").value()[0];
  t0.mean_score = 0.9999;
  ASSERT_TRUE(store_->PutTrial(t0).ok());

  StepContext resumed;
  resumed.cache_key = "same-inputs";
  ASSERT_TRUE(RunStep(Arguments(5), &resumed, "e1").ok()) << log_;
  EXPECT_EQ(resumed.metadata["trials"]["Reused"], 2);
  EXPECT_EQ(ReadJson(resumed.OutputPath("best"))["trial"], 0);
  auto mine = store_->ListTrials("e1", "Tune").value();
  ASSERT_EQ(mine.size(), 5u);
  EXPECT_DOUBLE_EQ(mine[0].mean_score, 0.9999);

  StepContext unrelated;  // Another cache key: nothing to take.
  unrelated.cache_key = "other-inputs";
  step_.name = "Tune2";
  ASSERT_TRUE(RunStep(Arguments(5), &unrelated, "e1").ok());
  EXPECT_FALSE(unrelated.metadata["trials"].contains("Reused"));
}

TEST_F(TuningStepTest, SameSeedSameTrialsAndScores) {
  StepContext a, b;
  ASSERT_TRUE(RunStep(Arguments(6), &a).ok());
  step_.name = "Tune2";
  ASSERT_TRUE(RunStep(Arguments(6), &b).ok());
  Json ta = ReadJson(a.OutputPath("trials")), tb = ReadJson(b.OutputPath("trials"));
  for (size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(ta["trials"][k]["hyperparameters"], tb["trials"][k]["hyperparameters"]);
    EXPECT_EQ(ta["trials"][k]["fold_scores"], tb["trials"][k]["fold_scores"]);
  }
}

TEST_F(TuningStepTest, BayesianAndHoldOutScoring) {
  Json args = Arguments(12);
  args["strategy"] = "bayesian";
  args["warmup_trials"] = 4;
  args.erase("scoring");
  args["objective"] = "validation:auc";
  args["validation"] = ml::testing::WriteText(dir_.path() / "validation.csv", ml::testing::BinaryCsv(120, 3, 18));
  StepContext ctx;
  ASSERT_TRUE(RunStep(args, &ctx).ok()) << log_;
  auto trials = store_->ListTrials("e1", "Tune").value();
  ASSERT_EQ(trials.size(), 12u);
  for (const store::TrialRecord& t : trials) EXPECT_EQ(t.fold_scores.size(), 1u);
  EXPECT_EQ(ReadJson(ctx.OutputPath("best"))["scoring"], "roc_auc");
}

Status ValidateYaml(const std::string& arguments) {
  std::string yaml = "pipeline: p\nsteps:\n  - name: Tune\n    type: Tuning\n    arguments:\n" + arguments;
  auto def = ReadDefinition(yaml, "p.yaml");
  if (!def.ok()) return def.status();
  return ValidateDefinition(*def, StepTypeRegistry::BuiltIn());
}

TEST(TuningStepValidationTest, ErrorsNameFileLineFieldAndWhatIsValid) {
  const std::string base = "      train: t.csv\n      search_space: {gaussian_nb: {}}\n";
  EXPECT_TRUE(ValidateYaml(base).ok()) << ValidateYaml(base).ToString();
  Status scoring = ValidateYaml(base + "      scoring: auc\n");
  EXPECT_THAT(scoring.message(),
              HasSubstr("p.yaml:8:16: steps.Tune.arguments.scoring: unknown scorer \"auc\"; valid: accuracy"));
  Status family = ValidateYaml("      train: t.csv\n      search_space: {svm: {}}\n");
  EXPECT_THAT(family.message(), HasSubstr("steps.Tune.arguments.search_space.svm: unknown model family \"svm\""));
  Status domain = ValidateYaml("      train: t.csv\n      search_space: {mlp: {alpha: {logspace: [1, 2]}}}\n");
  EXPECT_THAT(domain.message(),
              HasSubstr("steps.Tune.arguments.search_space.mlp.alpha.logspace: expected [start, stop, num]"));
  Status hp = ValidateYaml("      train: t.csv\n      search_space: {mlp: {max_iter: [0]}}\n");
  EXPECT_THAT(hp.message(), HasSubstr("search_space.mlp: mlp.max_iter: expected an integer >= 1"));
  Status strategy = ValidateYaml(base + "      strategy: hyperband\n");
  EXPECT_THAT(strategy.message(), HasSubstr("strategy: expected random, grid or bayesian"));
  Status trials = ValidateYaml(base + "      max_trials: 0\n");
  EXPECT_THAT(trials.message(), HasSubstr("max_trials: expected an integer in [1, 100000], got 0"));
  Status holdout = ValidateYaml(base + "      objective: validation:auc\n");
  EXPECT_THAT(holdout.message(), HasSubstr("hold-out scoring needs a `validation` argument"));
}

}  // namespace
}  // namespace grove::pipeline
