#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

template <typename Backend>
class ExecutionStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(ExecutionStoreTest, StoreBackends, BackendNames);

TYPED_TEST(ExecutionStoreTest, CreateThenGetReturnsTheRecord) {
  this->MakeExecution("abc123");
  auto e = this->store_->GetExecution("abc123");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->pipeline, "p");
  EXPECT_EQ(e->version, 1);
  EXPECT_EQ(e->status, kExecuting);
  EXPECT_EQ(e->parameters["Threshold"], 6.5);
  EXPECT_EQ(e->started_at, this->clock_.Now());  // 0 given: stamped by the store's clock.
  auto events = this->Events();
  ASSERT_EQ(events.size(), 2u);  // pipeline.version, execution.created.
  EXPECT_EQ(events[1].kind, kEventExecutionCreated);
  EXPECT_EQ(events[1].subject, "abc123");
  EXPECT_EQ(events[1].payload["pipeline"], "p");
}

TYPED_TEST(ExecutionStoreTest, CreateRejectsDuplicatesAndBadStatus) {
  ExecutionRecord e = this->MakeExecution("abc123");
  e.status = kFailed;
  Status dup = this->store_->CreateExecution(e);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "execution 'abc123' already exists");
  EXPECT_EQ(this->store_->GetExecution("abc123")->status, kExecuting);
  e.id = "other";
  e.status = "Running";
  EXPECT_EQ(this->store_->CreateExecution(e).code(), StatusCode::kInvalidArgument);
  e.id = "";
  e.status = kExecuting;
  EXPECT_EQ(this->store_->CreateExecution(e).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(this->store_->ListExecutions("", 0)->size(), 1u);
}

TYPED_TEST(ExecutionStoreTest, NotFoundNamesTheExecution) {
  auto e = this->store_->GetExecution("abc123");
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(e.status().message(), "no execution 'abc123'");
  EXPECT_EQ(this->store_->UpdateExecutionStatus("abc123", kFailed, "x", 1).message(), "no execution 'abc123'");
  EXPECT_EQ(this->store_->RequestStop("abc123").code(), StatusCode::kNotFound);
}

TYPED_TEST(ExecutionStoreTest, ListIsNewestFirstFilteredAndLimited) {
  this->MakeExecution("e1", 100);
  this->MakeExecution("e2", 300);
  this->MakeExecution("e3", 200);
  this->PutPipeline("q");
  ExecutionRecord other{"e4", "q", 1, kExecuting, Json::object(), "", 400, 0, "", 0};
  ASSERT_TRUE(this->store_->CreateExecution(other).ok());

  auto all = this->store_->ListExecutions("", 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].id, "e4");
  EXPECT_EQ((*all)[1].id, "e2");
  EXPECT_EQ((*all)[3].id, "e1");
  auto of_p = this->store_->ListExecutions("p", 2);
  ASSERT_TRUE(of_p.ok());
  ASSERT_EQ(of_p->size(), 2u);
  EXPECT_EQ((*of_p)[0].id, "e2");
  EXPECT_EQ((*of_p)[1].id, "e3");
}

TYPED_TEST(ExecutionStoreTest, UpdateStatusSetsFieldsAndAppendsAnEventOnChange) {
  this->MakeExecution("abc123");
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("abc123", kFailed, "step Train failed", 5000).ok());
  auto e = this->store_->GetExecution("abc123");
  EXPECT_EQ(e->status, kFailed);
  EXPECT_EQ(e->failure_reason, "step Train failed");
  EXPECT_EQ(e->ended_at, 5000);
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("abc123", kFailed, "step Train failed", 0).ok());
  EXPECT_EQ(this->store_->GetExecution("abc123")->ended_at, 5000);  // 0 keeps the stored end time.

  auto events = this->Events();
  ASSERT_EQ(events.size(), 3u);  // The repeated update is no change: no event.
  EXPECT_EQ(events[2].kind, kEventExecutionStatus);
  EXPECT_EQ(events[2].subject, "abc123");
  EXPECT_EQ(events[2].payload, Json({{"status", "Failed"}, {"failure_reason", "step Train failed"}}));
  EXPECT_EQ(this->store_->UpdateExecutionStatus("abc123", "Done", "", 0).code(), StatusCode::kInvalidArgument);
}

TYPED_TEST(ExecutionStoreTest, RequestStopOnlyFromExecuting) {
  this->MakeExecution("abc123");
  ASSERT_TRUE(this->store_->RequestStop("abc123").ok());
  EXPECT_EQ(this->store_->GetExecution("abc123")->status, kStopping);
  EXPECT_EQ(this->Events().back().payload["status"], "Stopping");
  Status again = this->store_->RequestStop("abc123");
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.message(), "execution 'abc123' is Stopping; only an Executing execution can be stopped");
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("abc123", kSucceeded, "", 1).ok());
  EXPECT_EQ(this->store_->RequestStop("abc123").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->GetExecution("abc123")->status, kSucceeded);
}

TYPED_TEST(ExecutionStoreTest, RenewLeasesSetsOwnerAndExpiry) {
  this->MakeExecution("e1");
  this->MakeExecution("e2");
  ASSERT_TRUE(this->store_->RenewLeases("host:42", {"e1", "e2"}, 9000).ok());
  EXPECT_EQ(this->store_->GetExecution("e1")->lease_owner, "host:42");
  EXPECT_EQ(this->store_->GetExecution("e2")->lease_expires, 9000);
  Status missing = this->store_->RenewLeases("host:42", {"e1", "zzz"}, 12000);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->GetExecution("e1")->lease_expires, 9000);  // One transaction: e1 not renewed either.
}

// An execution whose owner stopped renewing its lease is failed by the next
// process that looks, ended at its last heartbeat (not when that was noticed).
TYPED_TEST(ExecutionStoreTest, ExpiredLeasesFailExecutionsAndTheirUnfinishedStepsAtTheLastHeartbeat) {
  this->clock_.Set(100);
  this->MakeExecution("live");
  this->MakeExecution("dead");
  this->MakeExecution("stopping");
  this->MakeExecution("done");
  this->MakeExecution("nolease");
  this->clock_.Set(600);  // The last heartbeat.
  ASSERT_TRUE(this->store_->RenewLeases("a:1", {"live"}, 2000).ok());
  ASSERT_TRUE(this->store_->RenewLeases("b:2", {"dead", "stopping", "done"}, 999).ok());
  ASSERT_TRUE(this->store_->RequestStop("stopping").ok());
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("done", kSucceeded, "", 900).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("dead", "Prepare", kSucceeded), {}, {}).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("dead", "Train", kExecuting), {}, {}).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("dead", "Eval", kStarting), {}, {}).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("live", "Train", kExecuting), {}, {}).ok());
  size_t events_before = this->Events().size();

  auto failed = this->store_->FailExpiredExecutions(1000);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(*failed, (std::vector<std::string>{"dead", "stopping"}));

  auto dead = this->store_->GetExecution("dead");
  EXPECT_EQ(dead->status, kFailed);
  EXPECT_EQ(dead->failure_reason, "interrupted: the process running it stopped (lease expired)");
  EXPECT_EQ(dead->heartbeat_at, 600);
  EXPECT_EQ(dead->ended_at, 600);
  EXPECT_EQ(this->store_->GetExecution("stopping")->ended_at, 600);
  EXPECT_EQ(this->store_->GetStepRun("dead", "Prepare")->status, kSucceeded);
  auto train = this->store_->GetStepRun("dead", "Train");
  EXPECT_EQ(train->status, kFailed);
  EXPECT_EQ(train->failure_reason, "interrupted");
  EXPECT_EQ(train->ended_at, 600);
  EXPECT_EQ(this->store_->GetStepRun("dead", "Eval")->status, kFailed);
  EXPECT_EQ(this->store_->GetExecution("live")->status, kExecuting);
  EXPECT_EQ(this->store_->GetStepRun("live", "Train")->status, kExecuting);
  EXPECT_EQ(this->store_->GetExecution("done")->status, kSucceeded);
  EXPECT_EQ(this->store_->GetExecution("nolease")->status, kExecuting);  // Never leased: not judged.
  // Two step.status events for "dead", one execution.status each for "dead" and "stopping".
  EXPECT_EQ(this->Events().size(), events_before + 4);
  EXPECT_TRUE(this->store_->FailExpiredExecutions(1000)->empty());
}

// Another server takes over what a dead one was running: Executing orphans
// (lease expired, or owner gone) only, each once, and one at most per `max`.
TYPED_TEST(ExecutionStoreTest, OrphansAreClaimedOnceByANewOwner) {
  this->clock_.Set(100);
  for (const char* id : {"live", "expired", "gone", "stopping", "nolease"}) this->MakeExecution(id);
  ASSERT_TRUE(this->store_->RenewLeases("a:1", {"live"}, 5000).ok());
  ASSERT_TRUE(this->store_->RenewLeases("b:2", {"expired", "stopping"}, 999).ok());
  ASSERT_TRUE(this->store_->RenewLeases("c:3", {"gone"}, 5000).ok());
  ASSERT_TRUE(this->store_->RequestStop("stopping").ok());
  this->owners_.MarkGone("c:3");
  this->clock_.Set(1000);
  size_t events_before = this->Events().size();

  auto first = this->store_->ClaimOrphanedExecutions("new:9", 31'000, 1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front().id, "expired");
  auto rest = this->store_->ClaimOrphanedExecutions("new:9", 31'000, 10);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().id, "gone");
  EXPECT_TRUE(this->store_->ClaimOrphanedExecutions("other:7", 31'000, 10)->empty());

  auto gone = this->store_->GetExecution("gone");
  EXPECT_EQ(gone->status, kExecuting);
  EXPECT_EQ(gone->lease_owner, "new:9");
  EXPECT_EQ(gone->lease_expires, 31'000);
  EXPECT_EQ(gone->heartbeat_at, 1000);
  EXPECT_EQ(this->store_->GetExecution("live")->lease_owner, "a:1");
  EXPECT_EQ(this->store_->GetExecution("stopping")->lease_owner, "b:2");
  std::vector<EventRecord> events = this->Events();
  ASSERT_EQ(events.size(), events_before + 2);
  EXPECT_EQ(events.back().kind, kEventExecutionResumed);
  EXPECT_EQ(events.back().subject, "gone");
  EXPECT_EQ(events.back().payload["previous_owner"], "c:3");
}

TYPED_TEST(ExecutionStoreTest, CreateAndRenewalRecordTheHeartbeat) {
  this->clock_.Set(100);
  ExecutionRecord e = this->MakeExecution("e1", 50);
  EXPECT_EQ(this->store_->GetExecution("e1")->heartbeat_at, 50);  // Alive when it started.
  this->clock_.Set(700);
  ASSERT_TRUE(this->store_->RenewLeases("host:42", {"e1"}, 30'700).ok());
  EXPECT_EQ(this->store_->GetExecution("e1")->heartbeat_at, 700);
}

// Regression (issue 8): an orphaned execution whose owner ran on this machine
// and died sat Executing until its lease expired (30 s) and then recorded the
// detection time as its end. Now it is failed as soon as a process looks, at
// its last heartbeat, while its lease is still running.
TYPED_TEST(ExecutionStoreTest, OrphanedExecutionOfAGoneOwnerFailsAtOnceAtItsLastHeartbeat) {
  this->clock_.Set(1000);
  this->MakeExecution("orphan");
  this->MakeExecution("alive");
  ASSERT_TRUE(this->store_->RenewLeases("here:111", {"orphan"}, 31'000).ok());
  ASSERT_TRUE(this->store_->RenewLeases("here:222", {"alive"}, 31'000).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("orphan", "Train", kExecuting), {}, {}).ok());
  this->owners_.MarkGone("here:111");
  this->clock_.Set(5000);

  auto failed = this->store_->FailExpiredExecutions(this->clock_.Now());  // Long before 31'000.
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(*failed, (std::vector<std::string>{"orphan"}));
  auto orphan = this->store_->GetExecution("orphan");
  EXPECT_EQ(orphan->status, kFailed);
  EXPECT_EQ(orphan->failure_reason, "interrupted: the process running it (here:111) is gone");
  EXPECT_EQ(orphan->ended_at, 1000);
  auto train = this->store_->GetStepRun("orphan", "Train");
  EXPECT_EQ(train->status, kFailed);
  EXPECT_EQ(train->failure_reason, "interrupted");
  EXPECT_EQ(train->ended_at, 1000);
  EXPECT_EQ(this->store_->GetExecution("alive")->status, kExecuting);
}

// Regression (issue 8): `execution stop` on an orphan answered 0, yet the
// execution stayed Stopping forever, with nobody left to stop it. Now it ends
// Stopped at once, at its last heartbeat, with its unfinished steps.
TYPED_TEST(ExecutionStoreTest, StoppingAnOrphanedExecutionEndsItStoppedAtOnce) {
  this->clock_.Set(1000);
  this->MakeExecution("orphan");
  this->MakeExecution("was-stopping");
  this->MakeExecution("expired");
  ASSERT_TRUE(this->store_->RenewLeases("here:111", {"orphan", "was-stopping"}, 31'000).ok());
  ASSERT_TRUE(this->store_->RenewLeases("elsewhere:3", {"expired"}, 2000).ok());
  ASSERT_TRUE(this->store_->RequestStop("was-stopping").ok());  // Asked while its owner lived.
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("orphan", "Train", kExecuting), {}, {}).ok());
  this->owners_.MarkGone("here:111");
  this->clock_.Set(5000);

  ASSERT_TRUE(this->store_->RequestStop("orphan").ok());
  auto orphan = this->store_->GetExecution("orphan");
  EXPECT_EQ(orphan->status, kStopped);
  EXPECT_EQ(orphan->ended_at, 1000);
  EXPECT_NE(orphan->failure_reason.find("here:111"), std::string::npos) << orphan->failure_reason;
  EXPECT_EQ(this->store_->GetStepRun("orphan", "Train")->status, kStopped);
  EXPECT_EQ(this->Events().back().payload["status"], "Stopped");
  EXPECT_EQ(this->store_->RequestStop("orphan").code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(this->store_->RequestStop("was-stopping").ok());
  EXPECT_EQ(this->store_->GetExecution("was-stopping")->status, kStopped);
  ASSERT_TRUE(this->store_->RequestStop("expired").ok());  // Its lease ran out: nobody will stop it either.
  EXPECT_EQ(this->store_->GetExecution("expired")->status, kStopped);
}

}  // namespace
}  // namespace grove::store
