#include "store/queue_records.h"

#include <gtest/gtest.h>

#include "store/metadata_store.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// The inference queue's rules over every backend's rows, on the fake clock.
template <typename Backend>
class QueueRecordsTest : public StoreTest<Backend> {
 protected:
  QueueFileRecord File(const std::string& key) {
    QueueFileRecord f;
    f.key = key;
    f.path = "/in/" + key + ".csv";
    f.digest = FakeDigest(key);
    f.processed_path = "/in/processed/" + key + ".csv";
    f.columns = {"label", "a", "b"};
    f.dimension = "DummyDim1";
    f.endpoint = "fleet";
    f.model = "DummyDim1-model-registry";
    return f;
  }

  int Enqueue(const std::string& key, int rows, int max_attempts = 2) {
    std::vector<std::string> lines;
    for (int i = 0; i < rows; ++i) lines.push_back("1," + std::to_string(i) + ",2");
    auto n = this->Transact(
        [&](StoreTransaction& t) { return EnqueueFileRows(t, File(key), lines, max_attempts, this->clock_.Now()); });
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  // Leases as the queue's workers do, in a claims transaction.
  std::vector<QueueMessageRecord> Lease(int limit, int64_t token, TimeMs visibility = 30'000) {
    std::vector<QueueMessageRecord> leased;
    Status s = this->store_->TransactClaims([&](StoreTransaction& t) -> Status {
      ASSIGN_OR_RETURN(leased, LeaseMessages(t, limit, this->clock_.Now(), visibility, token));
      return Status::OK();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return leased;
  }

  SettleResult Settle(const LeaseOutcome& outcome) {
    auto settled = this->Transact([&](StoreTransaction& t) { return SettleLease(t, outcome, this->clock_.Now()); });
    EXPECT_TRUE(settled.ok()) << settled.status().ToString();
    return settled.ok() ? *settled : SettleResult{};
  }

  PredictionRecord Answer(const QueueMessageRecord& m, const std::string& id) {
    PredictionRecord p;
    p.id = id;
    p.message_id = m.id;
    p.dimension = m.dimension;
    p.model_key = "DummyDim1-model-registry/1";
    p.source_file = m.source_file;
    p.row_number = m.row_number;
    p.prediction = 1;
    p.probability = 0.75;
    p.ground_truth = "1";
    p.ground_truth_index = 0;  // The row's first cell, "label".
    p.created_at = this->clock_.Now();
    return p;
  }

  std::map<std::string, int64_t> States() {
    auto counts = this->Read([](StoreReader& r) { return CountQueueStates(r); });
    EXPECT_TRUE(counts.ok());
    return counts.ok() ? *counts : std::map<std::string, int64_t>{};
  }
};

TYPED_TEST_SUITE(QueueRecordsTest, StoreBackends, BackendNames);

TYPED_TEST(QueueRecordsTest, EnqueueingAFileAgainEnqueuesNothing) {
  EXPECT_EQ(this->Enqueue("f1", 3), 3);
  EXPECT_EQ(this->Enqueue("f1", 3), 0);
  EXPECT_EQ(this->Enqueue("f2", 2), 2);
  EXPECT_EQ(this->States()[kMessageQueued], 5);
  auto listed = this->Read([](StoreReader& r) { return r.ListQueueMessages("", 0, 0); });
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 5u);
  EXPECT_EQ((*listed)[0].row_number, 1);
  EXPECT_EQ((*listed)[2].row_number, 3);
  EXPECT_EQ((*listed)[2].line, "1,2,2");
  EXPECT_EQ((*listed)[0].endpoint, "fleet");
  EXPECT_EQ((*listed)[0].model, "DummyDim1-model-registry");
  auto file = this->Read([](StoreReader& r) { return r.FindQueueFile("f1"); });
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_EQ((*file)->rows, 3);
  EXPECT_EQ((*file)->columns, (std::vector<std::string>{"label", "a", "b"}));
}

TYPED_TEST(QueueRecordsTest, ALeaseHidesMessagesUntilItsVisibilityTimeoutThenTheyAreRedelivered) {
  this->Enqueue("f1", 3);
  std::vector<QueueMessageRecord> first = this->Lease(2, 11, 1000);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].deliveries, 1);
  std::vector<QueueMessageRecord> rest = this->Lease(10, 12, 1000);
  ASSERT_EQ(rest.size(), 1u);  // Only the third one is visible.
  EXPECT_EQ(rest[0].row_number, 3);
  this->clock_.Advance(999);
  EXPECT_TRUE(this->Lease(10, 13, 1000).empty());
  this->clock_.Advance(1);
  std::vector<QueueMessageRecord> again = this->Lease(10, 14, 1000);
  ASSERT_EQ(again.size(), 3u);  // Nobody settled: all three come back.
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].deliveries, 2);
  EXPECT_EQ(again[0].attempts, 0);  // A lapsed lease is not a failed attempt.
  EXPECT_EQ(again[0].lease, 14);
}

TYPED_TEST(QueueRecordsTest, AMessageIsDeadLetteredAfterMaxAttemptsFailuresAndReplayed) {
  this->Enqueue("f1", 1);
  QueueMessageRecord m = this->Lease(1, 21).at(0);
  LeaseOutcome outcome;
  outcome.lease = 21;
  outcome.failures[m.id] = "row 1 column 2: 'x' is not a number";
  outcome.retry_at = this->clock_.Now() + 500;
  SettleResult first = this->Settle(outcome);
  EXPECT_EQ(first.failed, 1);
  EXPECT_EQ(first.dead, 0);
  EXPECT_TRUE(this->Lease(1, 22).empty());  // Not before retry_at.
  this->clock_.Advance(500);
  ASSERT_EQ(this->Lease(1, 23).size(), 1u);
  outcome.lease = 23;
  outcome.retry_at = this->clock_.Now();
  SettleResult second = this->Settle(outcome);
  EXPECT_EQ(second.dead, 1);
  EXPECT_TRUE(this->Lease(1, 24).empty());
  EXPECT_EQ(this->States()[kMessageDead], 1);
  auto dead = this->Read([&](StoreReader& r) { return RequireQueueMessage(r, m.id); });
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->state, kMessageDead);
  EXPECT_EQ(dead->attempts, 2);
  EXPECT_EQ(dead->last_error, "row 1 column 2: 'x' is not a number");

  auto replayed = this->Transact([&](StoreTransaction& t) { return ReplayMessage(t, m.id, this->clock_.Now()); });
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(replayed->attempts, 0);
  auto twice = this->Transact([&](StoreTransaction& t) { return ReplayMessage(t, m.id, this->clock_.Now()); });
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->Lease(1, 25).size(), 1u);
  auto unknown = this->Read([](StoreReader& r) { return RequireQueueMessage(r, 999); });
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(QueueRecordsTest, ReplayAllDeadReplaysEveryDeadLetter) {
  this->Enqueue("f1", 3, /*max_attempts=*/1);
  std::vector<QueueMessageRecord> leased = this->Lease(3, 31);
  LeaseOutcome outcome;
  outcome.lease = 31;
  for (const QueueMessageRecord& m : leased) outcome.failures[m.id] = "boom";
  outcome.retry_at = this->clock_.Now();
  EXPECT_EQ(this->Settle(outcome).dead, 3);
  auto replayed = this->Transact([&](StoreTransaction& t) { return ReplayAllDead(t, this->clock_.Now()); });
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, 3);
  EXPECT_EQ(this->States()[kMessageQueued], 3);
  EXPECT_EQ(this->States()[kMessageDead], 0);
}

TYPED_TEST(QueueRecordsTest, WaitingForAModelThatIsNotLiveIsNotAFailedAttempt) {
  this->Enqueue("f1", 1, /*max_attempts=*/1);
  for (int round = 0; round < 5; ++round) {
    std::vector<QueueMessageRecord> leased = this->Lease(1, 40 + round);
    ASSERT_EQ(leased.size(), 1u) << round;
    LeaseOutcome outcome;
    outcome.lease = 40 + round;
    outcome.deferrals[leased[0].id] = "no model DummyDim1-model-registry on endpoint fleet yet";
    outcome.defer_until = this->clock_.Now() + 2000;
    EXPECT_EQ(this->Settle(outcome).deferred, 1);
    EXPECT_TRUE(this->Lease(1, 99).empty());
    this->clock_.Advance(2000);
  }
  EXPECT_EQ(this->States()[kMessageDead], 0);
  QueueMessageRecord m = this->Lease(1, 50).at(0);
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(m.deliveries, 6);
}

TYPED_TEST(QueueRecordsTest, AMessageIsRecordedOnceHoweverOftenItIsDeliveredAndSettled) {
  this->Enqueue("f1", 2);
  std::vector<QueueMessageRecord> first = this->Lease(2, 61, 1000);
  this->clock_.Advance(1000);
  std::vector<QueueMessageRecord> second = this->Lease(2, 62, 1000);  // The first lease lapsed.
  ASSERT_EQ(second.size(), 2u);

  LeaseOutcome late;
  late.lease = 61;
  late.predictions = {this->Answer(first[0], "id-a"), this->Answer(first[1], "id-b")};
  SettleResult a = this->Settle(late);
  EXPECT_EQ(a.recorded, 2);
  ASSERT_EQ(a.recorded_files.size(), 1u);
  EXPECT_EQ(a.recorded_files[0].key, "f1");
  EXPECT_EQ(a.recorded_files[0].processed_path, "/in/processed/f1.csv");

  LeaseOutcome current;
  current.lease = 62;
  current.predictions = {this->Answer(second[0], "id-c"), this->Answer(second[1], "id-d")};
  SettleResult b = this->Settle(current);
  EXPECT_EQ(b.recorded, 0);
  EXPECT_TRUE(b.recorded_files.empty());

  auto predictions = this->Read([](StoreReader& r) { return r.ListPredictions("DummyDim1", 0, 0); });
  ASSERT_TRUE(predictions.ok());
  ASSERT_EQ(predictions->size(), 2u);
  EXPECT_EQ((*predictions)[0].id, "id-a");
  EXPECT_EQ((*predictions)[0].features, R"({"a":0,"b":2})") << "the message's row but the ground truth, by name";
  EXPECT_EQ((*predictions)[0].probability, 0.75);
  EXPECT_TRUE(this->Read([](StoreReader& r) { return r.ListPredictions("DummyDim2", 0, 0); })->empty());
  EXPECT_EQ(this->States()[kMessageDone], 2);
  EXPECT_TRUE(this->Lease(2, 63).empty());
}

TYPED_TEST(QueueRecordsTest, AFailureUnderALapsedLeaseIsIgnoredAndDeadLettersKeepTheFileWaiting) {
  this->Enqueue("f1", 2, /*max_attempts=*/1);
  std::vector<QueueMessageRecord> first = this->Lease(2, 71, 1000);
  this->clock_.Advance(1000);
  std::vector<QueueMessageRecord> second = this->Lease(2, 72, 1000);
  LeaseOutcome stale;
  stale.lease = 71;
  stale.failures[first[0].id] = "stale";
  EXPECT_EQ(this->Settle(stale).failed, 0);

  LeaseOutcome outcome;
  outcome.lease = 72;
  outcome.predictions = {this->Answer(second[0], "id-a")};
  outcome.failures[second[1].id] = "bad row";
  SettleResult settled = this->Settle(outcome);
  EXPECT_EQ(settled.dead, 1);
  EXPECT_TRUE(settled.recorded_files.empty());  // Row 2 is a dead letter.

  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return ReplayAllDead(t, this->clock_.Now()); }).ok());
  std::vector<QueueMessageRecord> replayed = this->Lease(2, 73);
  ASSERT_EQ(replayed.size(), 1u);
  LeaseOutcome last;
  last.lease = 73;
  last.predictions = {this->Answer(replayed[0], "id-b")};
  EXPECT_EQ(this->Settle(last).recorded_files.size(), 1u);
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return MarkFileMoved(t, "f1", this->clock_.Now()); }).ok());
  auto files = this->Read([](StoreReader& r) { return r.ListQueueFiles(kFileMoved); });
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);
}

}  // namespace
}  // namespace grove::store
