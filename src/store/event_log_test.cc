#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

template <typename Backend>
class EventStoreTest : public StoreTest<Backend> {
 protected:
  // Appends one event per subject in one transaction of `store`.
  Status Append(MetadataStore& store, const std::vector<std::string>& subjects) {
    return store.Transact([&](StoreTransaction& txn) -> Status {
      for (const std::string& subject : subjects) {
        RETURN_IF_ERROR(txn.AppendEvent(this->clock_.Now(), "test.event", subject, {{"subject", subject}}).status());
      }
      return Status::OK();
    });
  }
};
TYPED_TEST_SUITE(EventStoreTest, StoreBackends, BackendNames);

TYPED_TEST(EventStoreTest, EventsArePagedBySeqOldestFirst) {
  for (int i = 1; i <= 5; ++i) {
    this->clock_.Advance(10);
    ASSERT_TRUE(this->Append(*this->store_, {"G/" + std::to_string(i)}).ok());
  }
  auto first = this->store_->ListEvents(0, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].subject, "G/1");
  EXPECT_EQ((*first)[1].subject, "G/2");
  EXPECT_LT((*first)[0].seq, (*first)[1].seq);
  EXPECT_EQ((*first)[1].at, (*first)[0].at + 10);
  EXPECT_EQ((*first)[1].kind, "test.event");
  EXPECT_EQ((*first)[1].payload, Json({{"subject", "G/2"}}));

  auto second = this->store_->ListEvents(first->back().seq, 2);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].subject, "G/3");
  auto rest = this->store_->ListEvents(second->back().seq, 100);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].subject, "G/5");
  EXPECT_TRUE(this->store_->ListEvents(rest->back().seq, 100)->empty());
  EXPECT_EQ(this->store_->ListEvents(0, 0)->size(), 5u);  // No limit.
}

TYPED_TEST(EventStoreTest, AppendReturnsTheSeqReadersSee) {
  auto seq = TransactValue(*this->store_, [&](StoreTransaction& txn) {
    return txn.AppendEvent(this->clock_.Now(), "test.event", "s", Json::object());
  });
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  EXPECT_EQ(this->Events().back().seq, *seq);
}

TYPED_TEST(EventStoreTest, EachKindOfRecordChangeIsAnEventInOrder) {
  this->MakeExecution("e1");
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("e1", "Train", kExecuting), {}, {}).ok());
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("e1", kSucceeded, "", 1).ok());
  std::vector<std::string> kinds;
  for (const EventRecord& e : this->Events()) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{kEventPipelineVersion, kEventExecutionCreated, kEventStepStatus,
                                             kEventExecutionStatus}));
}

// Events and the changes they describe commit together: a change that fails
// leaves no event.
TYPED_TEST(EventStoreTest, FailedChangesLeaveNoEvents) {
  this->MakeExecution("e1");
  size_t before = this->Events().size();
  EXPECT_FALSE(this->store_->RequestStop("nope").ok());
  EXPECT_FALSE(
      this->store_->PutStepRun(this->MakeRun("e1", "T", kSucceeded), {}, {{"e1", "T", "input", "x", "d"}}).ok());
  Status failed = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.AppendEvent(this->clock_.Now(), "test.event", "s", Json::object()).status());
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(failed.message(), "changed my mind");
  EXPECT_EQ(this->Events().size(), before);
}

// grove doctor counts a missing seq as a lost event, so numbering has no gaps
// on any backend: a rolled-back append (which a PostgreSQL sequence would
// still consume) leaves none.
TYPED_TEST(EventStoreTest, ARolledBackAppendLeavesNoGapInSeqs) {
  ASSERT_TRUE(this->Append(*this->store_, {"a"}).ok());
  Status failed = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.AppendEvent(this->clock_.Now(), "test.event", "lost", Json::object()).status());
    return Status::FailedPrecondition("changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  ASSERT_TRUE(this->Append(*this->store_, {"b", "c"}).ok());
  std::vector<int64_t> seqs;
  for (const EventRecord& e : this->Events()) seqs.push_back(e.seq);
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs.front(), 1);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i) + 1);
  EXPECT_EQ(this->Events().back().subject, "c");
}

// The contract under 8 concurrent writers, each on its own connection (as
// other processes): a reader following the log by "seq > last seen" never
// misses an event, because seqs become visible in commit order; and the model
// versions they number are unique and gap-free.
TYPED_TEST(EventStoreTest, SeqsBecomeVisibleInCommitOrderAndVersionsStayGapFree) {
  constexpr int kWriters = 8;
  constexpr int kTransactions = 25;
  std::atomic<int> writers_done{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      std::unique_ptr<MetadataStore> store = this->Open();
      for (int i = 0; store != nullptr && i < kTransactions; ++i) {
        std::string tag = std::to_string(w) + "/" + std::to_string(i);
        EXPECT_TRUE(this->Append(*store, {tag + "a", tag + "b"}).ok());
        EXPECT_GT(this->AddVersionRow(*store, "G"), 0);
      }
      ++writers_done;
    });
  }
  std::unique_ptr<MetadataStore> reader = this->Open();
  ASSERT_NE(reader, nullptr);
  std::vector<int64_t> seen;
  int64_t last = 0;
  bool finished = false;
  while (!finished) {
    finished = writers_done.load() == kWriters;  // Read once more after the last commit.
    auto events = reader->ListEvents(last, 0);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    for (const EventRecord& e : *events) {
      EXPECT_GT(e.seq, last);
      last = e.seq;
      seen.push_back(e.seq);
    }
  }
  for (std::thread& t : writers) t.join();
  std::vector<int64_t> all;
  for (const EventRecord& e : this->Events()) all.push_back(e.seq);
  EXPECT_EQ(all.size(), static_cast<size_t>(2 * kWriters * kTransactions));
  EXPECT_EQ(seen, all);  // Nothing appeared behind the reader's cursor.
  auto versions = this->store_->ListModelVersions("G");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), static_cast<size_t>(kWriters * kTransactions));
  for (size_t i = 0; i < versions->size(); ++i) EXPECT_EQ((*versions)[i].version, static_cast<int>(i) + 1);
}

}  // namespace
}  // namespace grove::store
