#include "ml/scorer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ml/model_registry.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

// Five positives, three negatives. At 0.5: TP = 3 (0.9, 0.8, 0.7), FN = 2 (0.3, 0.2),
// FP = 1 (0.6), TN = 2 (0.4, 0.1).
const std::vector<double> kLabels = {1, 1, 1, 1, 1, 0, 0, 0};
const std::vector<double> kProba = {0.9, 0.8, 0.7, 0.3, 0.2, 0.6, 0.4, 0.1};
const std::vector<double> kPredicted = {1, 1, 1, 0, 0, 1, 0, 0};

double ScoreOf(const char* name, const std::vector<double>& truth, const std::vector<double>& predictions) {
  Result<Scorer> s = Scorer::ByName(name);
  EXPECT_TRUE(s.ok()) << name;
  return s.ok() ? s->Score(truth, predictions) : std::nan("");
}

TEST(ScorerTest, LabelScorersMatchHandCountedConfusionMatrix) {
  EXPECT_DOUBLE_EQ(ScoreOf("accuracy", kLabels, kPredicted), 5.0 / 8);
  EXPECT_DOUBLE_EQ(ScoreOf("precision", kLabels, kPredicted), 3.0 / 4);
  EXPECT_DOUBLE_EQ(ScoreOf("recall", kLabels, kPredicted), 3.0 / 5);
  EXPECT_DOUBLE_EQ(ScoreOf("f1", kLabels, kPredicted), 2 * 0.75 * 0.6 / (0.75 + 0.6));
  // Mean of the recalls: positives 3/5, negatives 2/3.
  EXPECT_DOUBLE_EQ(ScoreOf("balanced_accuracy", kLabels, kPredicted), (3.0 / 5 + 2.0 / 3) / 2);
}

TEST(ScorerTest, ProbabilityScorersMatchHandComputedValues) {
  // Of the 15 (positive, negative) pairs, 11 rank the positive higher.
  EXPECT_DOUBLE_EQ(ScoreOf("roc_auc", kLabels, kProba), 11.0 / 15);
  // Recall steps of 0.2 at precisions 1, 1, 1, 4/6 and 5/7.
  EXPECT_NEAR(ScoreOf("average_precision", kLabels, kProba), 0.6 + 0.2 * 4 / 6 + 0.2 * 5 / 7, 1e-12);
  double loss = -(std::log(0.9) + std::log(0.8) + std::log(0.7) + std::log(0.3) + std::log(0.2) + std::log(0.4) +
                  std::log(0.6) + std::log(0.9)) / 8;
  EXPECT_NEAR(ScoreOf("neg_log_loss", kLabels, kProba), -loss, 1e-12);
  EXPECT_NEAR(loss, 0.6288833248710971, 1e-12);  // scikit-learn 1.2.1's log_loss on the same input.
}

TEST(ScorerTest, AveragePrecisionTakesTiedScoresTogether) {
  // One threshold at 0.5 takes rows 0-2 at once: recall 1 at precision 2/3.
  EXPECT_NEAR(AveragePrecision(std::vector<double>{1, 0, 1, 0}, std::vector<double>{0.5, 0.5, 0.5, 0.1}), 2.0 / 3,
              1e-12);
  EXPECT_EQ(AveragePrecision(std::vector<double>{0, 0}, std::vector<double>{0.3, 0.1}), 0.0);
}

TEST(ScorerTest, LogLossClipsCertainMistakes) {
  double clipped = LogLoss(std::vector<double>{1}, std::vector<double>{0.0});
  EXPECT_TRUE(std::isfinite(clipped));
  EXPECT_NEAR(clipped, -std::log(std::numeric_limits<double>::epsilon()), 1e-9);
}

TEST(ScorerTest, RegressionScorersMatchHandComputedValues) {
  std::vector<double> y = {3, -0.5, 2, 7};
  std::vector<double> y_hat = {2.5, 0.0, 2, 8};
  // Residuals 0.5, -0.5, 0, -1: squares sum 1.5, absolutes sum 2; SS_tot = 29.1875.
  EXPECT_DOUBLE_EQ(ScoreOf("neg_mean_squared_error", y, y_hat), -1.5 / 4);
  EXPECT_DOUBLE_EQ(ScoreOf("neg_root_mean_squared_error", y, y_hat), -std::sqrt(1.5 / 4));
  EXPECT_DOUBLE_EQ(ScoreOf("neg_mean_absolute_error", y, y_hat), -2.0 / 4);
  EXPECT_NEAR(ScoreOf("r2", y, y_hat), 1 - 1.5 / 29.1875, 1e-12);
}

TEST(ScorerTest, KnowsItsTaskAndInput) {
  EXPECT_EQ(Scorer::ByName("roc_auc")->input(), Scorer::Input::kProbabilities);
  EXPECT_EQ(Scorer::ByName("f1")->input(), Scorer::Input::kLabels);
  EXPECT_EQ(Scorer::ByName("r2")->task(), TaskKind::kRegression);
  EXPECT_EQ(Scorer::ByName("accuracy")->task(), TaskKind::kBinaryClassification);
  EXPECT_EQ(Scorer::Names().size(), 12u);
}

TEST(ScorerTest, UnknownNameListsTheValidOnes) {
  Result<Scorer> s = Scorer::ByName("auc");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), HasSubstr("unknown scorer \"auc\""));
  EXPECT_THAT(s.status().message(), HasSubstr("roc_auc, average_precision, neg_log_loss, r2"));
}

TEST(ScorerTest, ScoresAModelAndRejectsTheWrongTask) {
  Dataset data = Dataset::FromLabelFirstRows({{0, 0.0}, {0, 1.0}, {1, 2.0}, {1, 3.0}});
  auto model = ModelRegistry::BuiltIn().Create("gaussian_nb", Json::object(), TaskKind::kBinaryClassification);
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE((*model)->Fit(data).ok());
  EXPECT_DOUBLE_EQ(Scorer::ByName("accuracy")->Score(**model, data).value(), 1.0);
  EXPECT_DOUBLE_EQ(Scorer::ByName("roc_auc")->Score(**model, data).value(), 1.0);
  Result<double> wrong = Scorer::ByName("r2")->Score(**model, data);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.status().message(), HasSubstr("scorer r2 is for regression"));
}

}  // namespace
}  // namespace grove::ml
