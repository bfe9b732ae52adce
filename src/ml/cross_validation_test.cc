#include "ml/cross_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ml/label_first_csv.h"
#include "ml/model_test_data.h"
#include "common/random.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::HasSubstr;

TEST(CrossValidationTest, StratifiedFoldsKeepClassRatiosWithinOneRow) {
  Dataset d = testing::BreastCancer();
  ASSERT_EQ(d.rows, 569u);
  for (int k : {3, 5, 10}) {
    auto folds = KFoldTestIndices(d.labels, k, true, 42).value();
    ASSERT_EQ(folds.size(), static_cast<size_t>(k));
    std::vector<int> seen(d.rows, 0);
    for (const auto& fold : folds) {
      size_t positives = 0;
      for (size_t r : fold) {
        positives += d.labels[r] == 1;
        ++seen[r];
      }
      // 357 positives and 212 negatives over k folds: floor or ceil of each share.
      EXPECT_LE(std::fabs(static_cast<double>(positives) - 357.0 / k), 1.0);
      EXPECT_LE(std::fabs(static_cast<double>(fold.size() - positives) - 212.0 / k), 1.0);
      EXPECT_LE(std::fabs(static_cast<double>(fold.size()) - 569.0 / k), 1.0);
      EXPECT_TRUE(std::is_sorted(fold.begin(), fold.end()));
    }
    for (int count : seen) ASSERT_EQ(count, 1);
  }
}

TEST(CrossValidationTest, FoldAssignmentIsSeeded) {
  std::vector<double> labels(100);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = i % 3 == 0;
  EXPECT_EQ(KFoldTestIndices(labels, 5, true, 1).value(), KFoldTestIndices(labels, 5, true, 1).value());
  EXPECT_NE(KFoldTestIndices(labels, 5, true, 1).value(), KFoldTestIndices(labels, 5, true, 2).value());
  auto plain = KFoldTestIndices(labels, 4, false, 1).value();
  for (const auto& fold : plain) EXPECT_EQ(fold.size(), 25u);
}

TEST(CrossValidationTest, FoldAssignmentFollowsTheDocumentedRule) {
  // Stratified, k = 2, labels 0 0 1 1 1: class 0's shuffled rows take positions 0, 1 and
  // class 1's positions 2, 3, 4, so fold 0 gets one row of class 0 and two of class 1.
  std::vector<double> labels = {0, 0, 1, 1, 1};
  auto folds = KFoldTestIndices(labels, 2, true, 7).value();
  ASSERT_EQ(folds[0].size(), 3u);
  ASSERT_EQ(folds[1].size(), 2u);
  EXPECT_EQ(labels[folds[0][0]], 0);
  EXPECT_EQ(labels[folds[1][0]], 0);
  // Replaying the rule with the same generator gives the same folds.
  Random rng(7);
  std::vector<size_t> zeros = {0, 1}, ones = {2, 3, 4};
  rng.Shuffle(zeros);
  rng.Shuffle(ones);
  std::vector<size_t> fold0 = {zeros[0], ones[0], ones[2]};
  std::sort(fold0.begin(), fold0.end());
  EXPECT_EQ(folds[0], fold0);
}

TEST(CrossValidationTest, RejectsBadFoldCounts) {
  std::vector<double> labels = {0, 1, 0};
  EXPECT_THAT(KFoldTestIndices(labels, 1, true, 0).status().message(), HasSubstr("2 <= folds <= rows"));
  EXPECT_THAT(KFoldTestIndices(labels, 4, true, 0).status().message(), HasSubstr("got 4 folds for 3 rows"));
  EXPECT_THAT(KFoldTestIndices(std::vector<double>{0, 2}, 2, true, 0).status().message(),
              HasSubstr("labels 0 or 1"));
}

TEST(CrossValidationTest, SameSeedSameScores) {
  Dataset d = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(300, 4, 9), "m").value());
  Scorer auc = Scorer::ByName("roc_auc").value();
  Json hp = {{"n_estimators", 10}, {"random_state", 1}};
  auto a = CrossValidate("random_forest", hp, d, auc, 5, 3).value();
  auto b = CrossValidate("random_forest", hp, d, auc, 5, 3).value();
  auto c = CrossValidate("random_forest", hp, d, auc, 5, 4).value();
  EXPECT_EQ(a.fold_scores, b.fold_scores);
  EXPECT_NE(a.fold_scores, c.fold_scores);
  ASSERT_EQ(a.fold_scores.size(), 5u);
  double mean = 0;
  for (double s : a.fold_scores) mean += s / 5;
  EXPECT_NEAR(a.mean, mean, 1e-12);
  EXPECT_GT(a.standard_deviation, 0);
}

TEST(CrossValidationTest, KeepGoingStopsBetweenFoldsWithTheSameFirstScores) {
  Dataset d = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(300, 4, 9), "m").value());
  Scorer auc = Scorer::ByName("roc_auc").value();
  Json hp = {{"n_estimators", 10}, {"random_state", 1}};
  auto full = CrossValidate("random_forest", hp, d, auc, 5, 3).value();
  std::vector<size_t> asked;
  auto cut = CrossValidateWhile("random_forest", hp, d, auc, 5, 3, [&](std::span<const double> scores) {
               asked.push_back(scores.size());
               return scores.size() < 2;
             }).value();
  EXPECT_TRUE(cut.stopped_early);
  EXPECT_FALSE(full.stopped_early);
  ASSERT_EQ(cut.fold_scores.size(), 2u);
  EXPECT_EQ(asked, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(cut.fold_scores[1], full.fold_scores[1]);
  EXPECT_NEAR(cut.mean, (full.fold_scores[0] + full.fold_scores[1]) / 2, 1e-12);
}

TEST(CrossValidationTest, ErrorsNameTheProblem) {
  Dataset d = Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(50, 2, 1), "m").value());
  Scorer acc = Scorer::ByName("accuracy").value();
  EXPECT_THAT(CrossValidate("svm", Json::object(), d, acc, 5, 0).status().message(), HasSubstr("unknown model family"));
  EXPECT_THAT(CrossValidate("mlp", {{"max_iter", 0}}, d, acc, 5, 0).status().message(),
              HasSubstr("mlp.max_iter: expected an integer >= 1, got 0"));
  EXPECT_THAT(CrossValidate("ridge", Json::object(), d, acc, 5, 0).status().message(),
              HasSubstr("cannot learn binary_classification"));
  Dataset holes = d;
  holes.features[0] = std::nan("");
  std::string message = CrossValidate("gaussian_nb", Json::object(), holes, acc, 5, 0).status().message();
  EXPECT_THAT(message, HasSubstr(" of 5: gaussian_nb: row "));
  EXPECT_THAT(message, HasSubstr("column 1 is missing"));
}

}  // namespace
}  // namespace grove::ml
