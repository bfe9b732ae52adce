#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include <cmath>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

template <typename Backend>
class TrialStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(TrialStoreTest, StoreBackends, BackendNames);

TrialRecord MakeTrial(const std::string& execution_id, const std::string& step, int number) {
  TrialRecord t;
  t.execution_id = execution_id;
  t.step_name = step;
  t.number = number;
  t.family = "random_forest";
  t.hyperparameters = Json{{"n_estimators", 100}, {"criterion", "gini"}};
  t.fold_scores = Json{0.9, 0.95, 0.925};
  t.mean_score = 0.925;
  t.status = kTrialCompleted;
  t.started_at = 1000;
  t.ended_at = 1500;
  t.duration_ms = 480;
  return t;
}

TYPED_TEST(TrialStoreTest, PutThenListRoundTripsEveryField) {
  this->MakeExecution("e1");
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("e1", "Tune", 0)).ok());
  auto trials = this->store_->ListTrials("e1", "Tune");
  ASSERT_TRUE(trials.ok()) << trials.status().ToString();
  ASSERT_EQ(trials->size(), 1u);
  const TrialRecord& got = (*trials)[0];
  EXPECT_EQ(got.number, 0);
  EXPECT_EQ(got.family, "random_forest");
  EXPECT_EQ(got.hyperparameters, Json({{"n_estimators", 100}, {"criterion", "gini"}}));
  EXPECT_EQ(got.fold_scores, Json({0.9, 0.95, 0.925}));
  EXPECT_DOUBLE_EQ(got.mean_score, 0.925);
  EXPECT_EQ(got.status, kTrialCompleted);
  EXPECT_EQ(got.started_at, 1000);
  EXPECT_EQ(got.ended_at, 1500);
  EXPECT_EQ(got.duration_ms, 480);
}

TYPED_TEST(TrialStoreTest, PutReplacesTheSameNumberAndListsByStepThenNumber) {
  this->MakeExecution("e1");
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("e1", "Tune", 2)).ok());
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("e1", "Tune", 0)).ok());
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("e1", "Other", 0)).ok());
  TrialRecord failed = MakeTrial("e1", "Tune", 2);
  failed.status = kTrialFailed;
  failed.error = "fold 1 of 5: boom";
  ASSERT_TRUE(this->store_->PutTrial(failed).ok());

  auto tune = this->store_->ListTrials("e1", "Tune");
  ASSERT_TRUE(tune.ok());
  ASSERT_EQ(tune->size(), 2u);
  EXPECT_EQ((*tune)[0].number, 0);
  EXPECT_EQ((*tune)[1].number, 2);
  EXPECT_EQ((*tune)[1].status, kTrialFailed);
  EXPECT_EQ((*tune)[1].error, "fold 1 of 5: boom");
  auto all = this->store_->ListTrials("e1", "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].step_name, "Other");
}

TYPED_TEST(TrialStoreTest, NanScoresComeBackAsNan) {
  this->MakeExecution("e1");
  TrialRecord t = MakeTrial("e1", "Tune", 0);
  t.fold_scores = Json{std::nan(""), 0.5};  // Json keeps NaN; it is written as null.
  t.mean_score = std::nan("");
  ASSERT_TRUE(this->store_->PutTrial(t).ok());
  auto trials = this->store_->ListTrials("e1", "Tune");
  ASSERT_TRUE(trials.ok());
  EXPECT_TRUE(std::isnan((*trials)[0].mean_score));
  EXPECT_TRUE((*trials)[0].fold_scores[0].is_null());
  EXPECT_EQ((*trials)[0].fold_scores[1], 0.5);
}

TYPED_TEST(TrialStoreTest, ListsByTheCacheKeyOfTheStepRunsThatRecordedThem) {
  this->MakeExecution("crashed");
  this->MakeExecution("other");
  StepRunRecord run = this->MakeRun("crashed", "Tune", kFailed);
  run.cache_key = "k1";
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());
  StepRunRecord other = this->MakeRun("other", "Tune", kSucceeded);
  other.cache_key = "k2";
  ASSERT_TRUE(this->store_->PutStepRun(other, {}, {}).ok());
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("crashed", "Tune", 1)).ok());
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("crashed", "Tune", 0)).ok());
  ASSERT_TRUE(this->store_->PutTrial(MakeTrial("other", "Tune", 0)).ok());
  auto k1 = this->store_->ListTrialsByCacheKey("k1");
  ASSERT_TRUE(k1.ok()) << k1.status().ToString();
  ASSERT_EQ(k1->size(), 2u);
  EXPECT_EQ((*k1)[0].execution_id, "crashed");
  EXPECT_EQ((*k1)[1].execution_id, "crashed");
  EXPECT_TRUE(this->store_->ListTrialsByCacheKey("")->empty());
  EXPECT_TRUE(this->store_->ListTrialsByCacheKey("k3")->empty());
}

TYPED_TEST(TrialStoreTest, RejectsUnknownExecutionAndStatus) {
  Status s = this->store_->PutTrial(MakeTrial("nope", "Tune", 3));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "trial 3 of step 'Tune': no execution 'nope'");
  this->MakeExecution("e1");
  TrialRecord t = MakeTrial("e1", "Tune", 0);
  t.status = "Done";
  s = this->store_->PutTrial(t);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'Done' is not a trial status"), std::string::npos) << s.message();
  EXPECT_EQ(this->store_->ListTrials("nope", "").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::store
