#include "ml/xgboost_trainer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "common/file_util.h"
#include "ml/evaluation.h"
#include "ml/label_first_csv.h"
#include "ml/test_data.h"
#include "ml/xgboost_booster.h"

namespace grove::ml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;

class XgboostTrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    train_ = testing::WriteText(dir_.path() / "train", testing::RegressionCsv(1000, 6, 1, 0.3));
    validation_ = testing::WriteText(dir_.path() / "validation", testing::RegressionCsv(300, 6, 2, 0.3));
  }

  TrainRequest Request(Json hyperparameters, const std::string& model = "model") {
    TrainRequest r;
    r.train = train_;
    r.validation = validation_;
    r.hyperparameters = std::move(hyperparameters);
    r.model_out = dir_.path() / model;
    r.log = [this](const std::string& line) { log_.push_back(line); };
    return r;
  }

  std::string ModelBytes(const std::string& model = "model") { return ReadFile(dir_.path() / model).value(); }

  TempDir dir_;
  std::filesystem::path train_;
  std::filesystem::path validation_;
  std::vector<std::string> log_;
};

TEST_F(XgboostTrainerTest, RmseDecreasesAndEveryRoundIsLogged) {
  Result<TrainSummary> s = TrainXgboost(Request({{"num_round", "20"}, {"max_depth", "4"}, {"eta", "0.3"}}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rounds, 20);
  EXPECT_EQ(s->model_rounds, 20);
  EXPECT_EQ(s->best_iteration, -1);
  ASSERT_EQ(s->metrics.size(), 2u);
  const Json& train = s->metrics["train-rmse"];
  const Json& validation = s->metrics["validation-rmse"];
  ASSERT_EQ(train.size(), 20u);
  ASSERT_EQ(validation.size(), 20u);
  for (size_t i = 1; i < train.size(); ++i) EXPECT_LE(train[i].get<double>(), train[i - 1].get<double>()) << i;
  EXPECT_LT(validation[19].get<double>(), validation[0].get<double>() / 5);
  ASSERT_EQ(log_.size(), 21u);  // The parameter line, then one per round.
  EXPECT_EQ(log_[0], "xgboost: num_round=20 max_depth=4 eta=0.3 tree_method=hist");
  EXPECT_THAT(log_[1], StartsWith("[0]\ttrain-rmse:"));
  EXPECT_THAT(log_[20], HasSubstr("\tvalidation-rmse:"));
  EXPECT_EQ(XgboostBooster::LoadFromFile(dir_.path() / "model")->BoostedRounds().value(), 20);
}

TEST_F(XgboostTrainerTest, RequestThreadsApplyUnlessHyperparametersSetThem) {
  TrainRequest r = Request({{"num_round", 2}});
  r.nthread = 1;
  ASSERT_TRUE(TrainXgboost(r).ok());
  EXPECT_EQ(log_[0], "xgboost: num_round=2 tree_method=hist nthread=1");
  log_.clear();
  r.hyperparameters["nthread"] = "2";
  ASSERT_TRUE(TrainXgboost(r).ok());
  EXPECT_EQ(log_[0], "xgboost: num_round=2 nthread=2 tree_method=hist");
  // Threads do not change the model.
  std::string two_threads = ModelBytes();
  r.hyperparameters.erase("nthread");
  ASSERT_TRUE(TrainXgboost(r).ok());
  EXPECT_EQ(ModelBytes(), two_threads);
}

TEST_F(XgboostTrainerTest, RegLinearIsAnAliasOfSquaredError) {
  ASSERT_TRUE(TrainXgboost(Request({{"num_round", 5}, {"objective", "reg:linear"}}, "a")).ok());
  ASSERT_TRUE(TrainXgboost(Request({{"num_round", 5}, {"objective", "reg:squarederror"}}, "b")).ok());
  EXPECT_EQ(ModelBytes("a"), ModelBytes("b"));
  EXPECT_EQ(XgboostBooster::LoadFromFile(dir_.path() / "a")->Objective().value(), "reg:squarederror");
}

TEST_F(XgboostTrainerTest, TrainingIsDeterministicForASeed) {
  Json hp = {{"num_round", 15}, {"subsample", 0.7}, {"colsample_bytree", 0.6}, {"seed", 7}};
  ASSERT_TRUE(TrainXgboost(Request(hp, "a")).ok());
  ASSERT_TRUE(TrainXgboost(Request(hp, "b")).ok());
  EXPECT_EQ(ModelBytes("a"), ModelBytes("b"));
  hp["seed"] = 8;  // Sampling follows the seed, so the model must change with it.
  ASSERT_TRUE(TrainXgboost(Request(hp, "c")).ok());
  EXPECT_NE(ModelBytes("a"), ModelBytes("c"));
}

TEST_F(XgboostTrainerTest, EarlyStoppingKeepsTheModelUpToTheBestRound) {
  // The validation labels move against the training signal, so validation error soon rises.
  validation_ = testing::WriteText(dir_.path() / "flipped", testing::RegressionCsv(300, 6, 2, 0.3, true));
  Result<TrainSummary> s = TrainXgboost(Request({{"num_round", 200}, {"early_stopping_rounds", 3}}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_GE(s->best_iteration, 0);
  EXPECT_EQ(s->rounds, s->best_iteration + 4);  // Three rounds without improvement after the best.
  EXPECT_LT(s->rounds, 200);
  EXPECT_EQ(s->model_rounds, s->best_iteration + 1);
  EXPECT_EQ(s->stopping_metric, "validation-rmse");
  std::vector<double> validation = s->metrics["validation-rmse"].get<std::vector<double>>();
  EXPECT_EQ(std::min_element(validation.begin(), validation.end()) - validation.begin(), s->best_iteration);
  EXPECT_EQ(s->best_score, validation[s->best_iteration]);

  XgboostBooster model = XgboostBooster::LoadFromFile(dir_.path() / "model").value();
  EXPECT_EQ(model.BoostedRounds().value(), s->best_iteration + 1);
  EXPECT_EQ(model.GetAttr("best_iteration").value(), std::to_string(s->best_iteration));
  EXPECT_THAT(log_.back(), StartsWith("early stopping: best round " + std::to_string(s->best_iteration)));
}

TEST_F(XgboostTrainerTest, EarlyStoppingMaximisesAuc) {
  train_ = testing::WriteText(dir_.path() / "btrain", testing::BinaryCsv(600, 4, 3));
  validation_ = testing::WriteText(dir_.path() / "bvalid", testing::BinaryCsv(300, 4, 4));
  Result<TrainSummary> s = TrainXgboost(Request({{"num_round", 200},
                                                 {"objective", "binary:logistic"},
                                                 {"eval_metric", "logloss,auc"},
                                                 {"early_stopping_rounds", 5}}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->stopping_metric, "validation-auc");  // The last validation metric is watched.
  EXPECT_LT(s->rounds, 200);
  std::vector<double> auc = s->metrics["validation-auc"].get<std::vector<double>>();
  ASSERT_NE(*std::min_element(auc.begin(), auc.end()), *std::max_element(auc.begin(), auc.end()));
  EXPECT_EQ(std::max_element(auc.begin(), auc.end()) - auc.begin(), s->best_iteration);  // First maximum.
  EXPECT_EQ(s->best_score, auc[s->best_iteration]);
  EXPECT_EQ(s->rounds, s->best_iteration + 6);
}

TEST_F(XgboostTrainerTest, EarlyStoppingOfGblinearKeepsTheBestSnapshot) {
  validation_ = testing::WriteText(dir_.path() / "flipped", testing::RegressionCsv(300, 6, 2, 0.3, true));
  Result<TrainSummary> s =
      TrainXgboost(Request({{"num_round", 100}, {"booster", "gblinear"}, {"eta", 0.5}, {"early_stopping_rounds", 2}}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_LT(s->best_iteration + 1, s->rounds);  // The snapshot, not the last round, is saved.
  XgboostBooster model = XgboostBooster::LoadFromFile(dir_.path() / "model").value();
  EXPECT_EQ(model.BoostedRounds().value(), s->best_iteration + 1);
  EXPECT_EQ(model.GetAttr("best_iteration").value(), std::to_string(s->best_iteration));
  // Its validation error is the best one recorded.
  LabeledMatrix v = ReadLabelFirstCsv(validation_).value();
  Result<std::vector<float>> predicted = model.Predict(v.features, v.rows, v.cols);
  ASSERT_TRUE(predicted.ok()) << predicted.status().ToString();
  const std::vector<float>& p = *predicted;
  double sum = 0;
  for (size_t i = 0; i < v.rows; ++i) sum += (p[i] - v.labels[i]) * (p[i] - v.labels[i]);
  EXPECT_NEAR(std::sqrt(sum / v.rows), s->best_score, 1e-4);
}

TEST_F(XgboostTrainerTest, StopFlagCancelsBetweenRounds) {
  std::atomic<bool> stop{false};
  TrainRequest r = Request({{"num_round", 50}});
  r.log = [&](const std::string& line) {
    if (line.rfind("[3]", 0) == 0) stop = true;
  };
  r.stop = &stop;
  Result<TrainSummary> s = TrainXgboost(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(s.status().message(), "training stopped after 4 of 50 rounds");
  EXPECT_FALSE(std::filesystem::exists(r.model_out));
}

TEST_F(XgboostTrainerTest, CsvWeightsUseTheSecondColumn) {
  // Weight 0 on every row labelled 100 hides them: predictions stay near 1.
  train_ = testing::WriteText(dir_.path() / "w", "1,1,0.5\n100,0,0.5\n1,1,0.2\n100,0,0.2\n");
  TrainRequest r = Request(
      {{"num_round", 30}, {"csv_weights", 1}, {"eta", 1}, {"max_depth", 1}, {"min_child_weight", 0}, {"lambda", 0}});
  r.validation.clear();
  Result<TrainSummary> s = TrainXgboost(r);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  XgboostBooster model = XgboostBooster::LoadFromFile(r.model_out).value();
  EXPECT_EQ(model.NumFeatures().value(), 1u);
  std::vector<float> x = {0.5f};
  EXPECT_NEAR(model.Predict(x, 1, 1).value()[0], 1.0, 1e-3);
}

// Issue 8: a 1e308 label (float32 infinity) reached XGBoost, whose raw message
// named the artifact path. Values beyond float range are refused first, naming
// the input by its argument, the line and the field.
TEST_F(XgboostTrainerTest, Label1e308FailsWithARawXgboostMessageNamingTheArtifactPath) {
  TrainRequest huge_label = Request({{"num_round", 5}});
  huge_label.train = testing::WriteText(dir_.path() / "huge_label", "1,2\n1e308,3\n");
  Status s = TrainXgboost(huge_label).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "train:2:1: the label (field 1) '1e308' is outside the float range (|x| <= 3.4028235e+38) of training; "
            "fix or rescale the label, or remove the row");
  EXPECT_THAT(s.message(), Not(HasSubstr(dir_.path().string())));
  TrainRequest huge_feature = Request({{"num_round", 5}});
  huge_feature.train = testing::WriteText(dir_.path() / "t1", "1,2\n0,3\n");
  huge_feature.validation = testing::WriteText(dir_.path() / "v1", "1,2\n0,-1e39\n");
  EXPECT_EQ(TrainXgboost(huge_feature).status().message(),
            "validation:2:3: '-1e39' (field 2) is outside the float range (|x| <= 3.4028235e+38) of training; fix "
            "or rescale the column, or remove the row");
  huge_feature.validation = testing::WriteText(dir_.path() / "v2", "1,2\n0,inf\n");
  EXPECT_THAT(TrainXgboost(huge_feature).status().message(), HasSubstr("validation:2:3: 'inf' (field 2) is infinite"));
  huge_label.train = testing::WriteText(dir_.path() / "nan_label", "1,2\nNaN,3\n");
  EXPECT_THAT(TrainXgboost(huge_label).status().message(),
              StartsWith("train:2:1: the label (field 1) 'NaN' is NaN; "));
}

TEST_F(XgboostTrainerTest, BadInputIsReportedWithItsPlace) {
  EXPECT_EQ(TrainXgboost(Request({{"eta", 0.1}})).status().message(),
            "hyperparameters.num_round: required (the number of boosting rounds)");
  TrainRequest no_validation = Request({{"num_round", 5}, {"early_stopping_rounds", 2}});
  no_validation.validation.clear();
  EXPECT_EQ(TrainXgboost(no_validation).status().message(),
            "hyperparameters.early_stopping_rounds: needs a validation data set");
  testing::WriteText(dir_.path() / "bad", "1,2\n3,oops\n");
  TrainRequest bad = Request({{"num_round", 5}});
  bad.train = dir_.path() / "bad";
  EXPECT_EQ(TrainXgboost(bad).status().message(), "train:2:3: 'oops' is not a number (field 2)");
  testing::WriteText(dir_.path() / "narrow", "1,2\n3,4\n");
  TrainRequest narrow = Request({{"num_round", 5}});
  narrow.validation = dir_.path() / "narrow";
  EXPECT_THAT(TrainXgboost(narrow).status().message(), HasSubstr("1 feature columns, but"));
  TrainRequest missing = Request({{"num_round", 5}});
  missing.train = dir_.path() / "none";
  EXPECT_EQ(TrainXgboost(missing).status().code(), StatusCode::kNotFound);
  Result<TrainSummary> rejected =
      TrainXgboost(Request({{"num_round", 5}, {"objective", "binary:logistic"}, {"base_score", 2}}));
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(rejected.status().message(), StartsWith("XGBoost cannot train with these hyperparameters: "));
  EXPECT_THAT(rejected.status().message(), HasSubstr("base_score"));
  EXPECT_TRUE(ValidateXgboostHyperparameters({{"num_round", 1}}).ok());
  EXPECT_FALSE(ValidateXgboostHyperparameters({{"num_round", 1}, {"eta", 9}}).ok());
}

TEST(ParseEvalLineTest, SplitsNamesAndValues) {
  auto scores = ParseEvalLine("[12]\ttrain-rmse:1.25\tvalidation-ndcg@3-:0.5\tvalidation-mape:inf");
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  EXPECT_THAT(*scores, ElementsAre(Pair("train-rmse", 1.25), Pair("validation-ndcg@3-", 0.5),
                                   Pair("validation-mape", std::numeric_limits<double>::infinity())));
  EXPECT_FALSE(ParseEvalLine("[0]\ttrain-rmse").ok());
}

// Abalone-sized (4177 rows x 10 features), with the template's hyperparameters;
// a known function plus noise of variance 0.25, so a good model has mse near 0.25.
TEST(AbaloneSizedTest, TrainsAndEvaluatesQuickly) {
  TempDir dir;
  auto train = testing::WriteText(dir.path() / "train", testing::RegressionCsv(2924, 10, 11, 0.5));
  auto validation = testing::WriteText(dir.path() / "validation", testing::RegressionCsv(626, 10, 12, 0.5));
  auto test = testing::WriteText(dir.path() / "test", testing::RegressionCsv(627, 10, 13, 0.5));
  TrainRequest request;
  request.train = train;
  request.validation = validation;
  request.model_out = dir.path() / "model";
  request.hyperparameters = {
      {"objective", "reg:linear"}, {"num_round", "50"}, {"max_depth", "5"}, {"eta", "0.2"}, {"gamma", "4"},
      {"min_child_weight", "6"},   {"subsample", "0.7"}};
  auto start = std::chrono::steady_clock::now();
  Result<TrainSummary> s = TrainXgboost(request);
  auto trained = std::chrono::steady_clock::now();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Json> report = Evaluate({request.model_out, test, "regression", 0.5, ""});
  auto evaluated = std::chrono::steady_clock::now();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  double mse = (*report)["regression_metrics"]["mse"]["value"].get<double>();
  EXPECT_LT(mse, 0.4);
  EXPECT_GT(mse, 0.15);  // Cannot beat the noise.
  EXPECT_GT((*report)["regression_metrics"]["r2"]["value"].get<double>(), 0.9);
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  RecordProperty("train_ms", std::to_string(ms(trained - start)));
  RecordProperty("evaluate_ms", std::to_string(ms(evaluated - trained)));
  std::printf("abalone-sized: train %.1f ms, evaluate %.1f ms, mse %.4f\n", ms(trained - start),
              ms(evaluated - trained), mse);
}

// The saved model must load in the xgboost Python package and predict the same.
TEST(PythonInteropTest, PythonXgboostLoadsTheModelAndAgrees) {
  if (std::system("/usr/bin/python3 -c 'import xgboost' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 cannot import xgboost";
  }
  TempDir dir;
  auto train = testing::WriteText(dir.path() / "train", testing::BinaryCsv(500, 4, 5));
  TrainRequest request;
  request.train = train;
  request.model_out = dir.path() / "model";  // No .json: XGBoost recognises JSON by its content.
  request.hyperparameters = {{"num_round", 10}, {"objective", "binary:logistic"}, {"max_depth", 3}};
  ASSERT_TRUE(TrainXgboost(request).ok());
  LabeledMatrix data = ReadLabelFirstCsv(train).value();
  XgboostBooster ours = XgboostBooster::LoadFromFile(request.model_out).value();
  std::vector<float> expected = ours.Predict(data.features, data.rows, data.cols).value();

  std::string script =
      "import json, numpy, xgboost\n"
      "b = xgboost.Booster(model_file='" +
      request.model_out.string() +
      "')\n"
      "x = numpy.loadtxt('" +
      train.string() +
      "', delimiter=',', dtype=numpy.float32)[:, 1:]\n"
      "p = b.predict(xgboost.DMatrix(x))\n"
      "open('" +
      (dir.path() / "py.json").string() + "', 'w').write(json.dumps([float(v) for v in p]))\n";
  testing::WriteText(dir.path() / "check.py", script);
  ASSERT_EQ(std::system(("/usr/bin/python3 " + (dir.path() / "check.py").string()).c_str()), 0);
  std::vector<double> theirs = Json::parse(ReadFile(dir.path() / "py.json").value()).get<std::vector<double>>();
  ASSERT_EQ(theirs.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(theirs[i], expected[i], 1e-6) << i;
}

}  // namespace
}  // namespace grove::ml
