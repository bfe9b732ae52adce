#include "store/execution_table.h"

#include <gtest/gtest.h>

#include "store/sqlite_test_fixture.h"

namespace grove::store {
namespace {

using ExecutionTableTest = SqliteStoreTest;

TEST_F(ExecutionTableTest, CreateThenGetReturnsTheRecord) {
  MakeExecution("abc123");
  auto e = store_->GetExecution("abc123");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->pipeline, "p");
  EXPECT_EQ(e->version, 1);
  EXPECT_EQ(e->status, kExecuting);
  EXPECT_EQ(e->parameters["Threshold"], 6.5);
  EXPECT_EQ(e->started_at, clock_.Now());  // 0 given: stamped by the store's clock.
  auto events = Events();
  ASSERT_EQ(events.size(), 2u);  // pipeline.version, execution.created.
  EXPECT_EQ(events[1].kind, kEventExecutionCreated);
  EXPECT_EQ(events[1].subject, "abc123");
  EXPECT_EQ(events[1].payload["pipeline"], "p");
}

TEST_F(ExecutionTableTest, CreateRejectsDuplicatesAndBadStatus) {
  ExecutionRecord e = MakeExecution("abc123");
  e.status = kFailed;
  Status dup = store_->CreateExecution(e);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "execution 'abc123' already exists");
  EXPECT_EQ(store_->GetExecution("abc123")->status, kExecuting);
  e.id = "other";
  e.status = "Running";
  EXPECT_EQ(store_->CreateExecution(e).code(), StatusCode::kInvalidArgument);
  e.id = "";
  e.status = kExecuting;
  EXPECT_EQ(store_->CreateExecution(e).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListExecutions("", 0)->size(), 1u);
}

TEST_F(ExecutionTableTest, NotFoundNamesTheExecution) {
  auto e = store_->GetExecution("abc123");
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(e.status().message(), "no execution 'abc123'");
  EXPECT_EQ(store_->UpdateExecutionStatus("abc123", kFailed, "x", 1).message(), "no execution 'abc123'");
  EXPECT_EQ(store_->RequestStop("abc123").code(), StatusCode::kNotFound);
}

TEST_F(ExecutionTableTest, ListIsNewestFirstFilteredAndLimited) {
  MakeExecution("e1", 100);
  MakeExecution("e2", 300);
  MakeExecution("e3", 200);
  PutPipeline("q");
  ExecutionRecord other{"e4", "q", 1, kExecuting, Json::object(), "", 400, 0, "", 0};
  ASSERT_TRUE(store_->CreateExecution(other).ok());

  auto all = store_->ListExecutions("", 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].id, "e4");
  EXPECT_EQ((*all)[1].id, "e2");
  EXPECT_EQ((*all)[3].id, "e1");
  auto of_p = store_->ListExecutions("p", 2);
  ASSERT_TRUE(of_p.ok());
  ASSERT_EQ(of_p->size(), 2u);
  EXPECT_EQ((*of_p)[0].id, "e2");
  EXPECT_EQ((*of_p)[1].id, "e3");
}

TEST_F(ExecutionTableTest, UpdateStatusSetsFieldsAndAppendsAnEventOnChange) {
  MakeExecution("abc123");
  ASSERT_TRUE(store_->UpdateExecutionStatus("abc123", kFailed, "step Train failed", 5000).ok());
  auto e = store_->GetExecution("abc123");
  EXPECT_EQ(e->status, kFailed);
  EXPECT_EQ(e->failure_reason, "step Train failed");
  EXPECT_EQ(e->ended_at, 5000);
  ASSERT_TRUE(store_->UpdateExecutionStatus("abc123", kFailed, "step Train failed", 0).ok());
  EXPECT_EQ(store_->GetExecution("abc123")->ended_at, 5000);  // 0 keeps the stored end time.

  auto events = Events();
  ASSERT_EQ(events.size(), 3u);  // The repeated update is no change: no event.
  EXPECT_EQ(events[2].kind, kEventExecutionStatus);
  EXPECT_EQ(events[2].subject, "abc123");
  EXPECT_EQ(events[2].payload, Json({{"status", "Failed"}, {"failure_reason", "step Train failed"}}));
  EXPECT_EQ(store_->UpdateExecutionStatus("abc123", "Done", "", 0).code(), StatusCode::kInvalidArgument);
}

TEST_F(ExecutionTableTest, RequestStopOnlyFromExecuting) {
  MakeExecution("abc123");
  ASSERT_TRUE(store_->RequestStop("abc123").ok());
  EXPECT_EQ(store_->GetExecution("abc123")->status, kStopping);
  EXPECT_EQ(Events().back().payload["status"], "Stopping");
  Status again = store_->RequestStop("abc123");
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.message(), "execution 'abc123' is Stopping; only an Executing execution can be stopped");
  ASSERT_TRUE(store_->UpdateExecutionStatus("abc123", kSucceeded, "", 1).ok());
  EXPECT_EQ(store_->RequestStop("abc123").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetExecution("abc123")->status, kSucceeded);
}

TEST_F(ExecutionTableTest, RenewLeasesSetsOwnerAndExpiry) {
  MakeExecution("e1");
  MakeExecution("e2");
  ASSERT_TRUE(store_->RenewLeases("host:42", {"e1", "e2"}, 9000).ok());
  EXPECT_EQ(store_->GetExecution("e1")->lease_owner, "host:42");
  EXPECT_EQ(store_->GetExecution("e2")->lease_expires, 9000);
  Status missing = store_->RenewLeases("host:42", {"e1", "zzz"}, 12000);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetExecution("e1")->lease_expires, 9000);  // One transaction: e1 not renewed either.
}

TEST_F(ExecutionTableTest, ExpiredLeasesFailExecutionsAndTheirUnfinishedSteps) {
  MakeExecution("live");
  MakeExecution("dead");
  MakeExecution("stopping");
  MakeExecution("done");
  MakeExecution("nolease");
  ASSERT_TRUE(store_->RenewLeases("a:1", {"live"}, 2000).ok());
  ASSERT_TRUE(store_->RenewLeases("b:2", {"dead", "stopping", "done"}, 999).ok());
  ASSERT_TRUE(store_->RequestStop("stopping").ok());
  ASSERT_TRUE(store_->UpdateExecutionStatus("done", kSucceeded, "", 900).ok());
  ASSERT_TRUE(store_->PutStepRun(MakeRun("dead", "Prepare", kSucceeded), {}, {}).ok());
  ASSERT_TRUE(store_->PutStepRun(MakeRun("dead", "Train", kExecuting), {}, {}).ok());
  ASSERT_TRUE(store_->PutStepRun(MakeRun("dead", "Eval", kStarting), {}, {}).ok());
  ASSERT_TRUE(store_->PutStepRun(MakeRun("live", "Train", kExecuting), {}, {}).ok());
  size_t events_before = Events().size();

  auto failed = store_->FailExpiredExecutions(1000);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(*failed, (std::vector<std::string>{"dead", "stopping"}));

  auto dead = store_->GetExecution("dead");
  EXPECT_EQ(dead->status, kFailed);
  EXPECT_EQ(dead->failure_reason, "interrupted: the process running it stopped (lease expired)");
  EXPECT_EQ(dead->ended_at, 1000);
  EXPECT_EQ(store_->GetStepRun("dead", "Prepare")->status, kSucceeded);
  auto train = store_->GetStepRun("dead", "Train");
  EXPECT_EQ(train->status, kFailed);
  EXPECT_EQ(train->failure_reason, "interrupted");
  EXPECT_EQ(store_->GetStepRun("dead", "Eval")->status, kFailed);
  EXPECT_EQ(store_->GetExecution("live")->status, kExecuting);
  EXPECT_EQ(store_->GetStepRun("live", "Train")->status, kExecuting);
  EXPECT_EQ(store_->GetExecution("done")->status, kSucceeded);
  EXPECT_EQ(store_->GetExecution("nolease")->status, kExecuting);  // Never leased: not judged.
  // Two step.status events for "dead", one execution.status each for "dead" and "stopping".
  EXPECT_EQ(Events().size(), events_before + 4);
  EXPECT_TRUE(store_->FailExpiredExecutions(1000)->empty());
}

}  // namespace
}  // namespace grove::store
