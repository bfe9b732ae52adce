#include "store/pg_metadata_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include "store/pg_test_server.h"
#include "store/queue_records.h"
#include "store/store_url.h"

namespace grove::store {
namespace {

// Counts wake-ups and lets a test wait for the next one.
class Wakes {
 public:
  void Wake() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  // Waits up to `timeout` for more than `seen` wake-ups.
  bool WaitPast(int seen, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_ > seen; });
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

Status AppendOne(MetadataStore& store, const std::string& subject) {
  return store.Transact([&](StoreTransaction& txn) {
    return txn.AppendEvent(1, "test.event", subject, Json::object()).status();
  });
}

TEST(PgMetadataStoreTest, CreatesItsDatabaseOnFirstUseAndMigratesItOnce) {
  std::string url = PgTestServer::UrlOf("grove_fresh");
  auto first = OpenMetadataStore(url);
  ASSERT_TRUE(first.ok()) << first.status().ToString() << " " << PgTestServer::error();
  ASSERT_TRUE((*first)->PutDefinition({"p", 0, "", "steps: []", "", 0}, "").ok());
  auto second = OpenMetadataStore(url);  // Exists and is migrated: opens as it is.
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto pipelines = (*second)->ListPipelines();
  ASSERT_TRUE(pipelines.ok());
  ASSERT_EQ(pipelines->size(), 1u);
  EXPECT_EQ(pipelines->front().name, "p");
}

// LISTEN/NOTIFY: a follower in one process is woken by a commit in another,
// with no polling delay; a transaction without events wakes no one.
TEST(PgMetadataStoreTest, ACommitThatAppendsEventsWakesSubscribersOfEveryConnection) {
  std::string url = PgTestServer::UrlOf("grove_notify");
  auto follower = OpenMetadataStore(url);
  auto writer = OpenMetadataStore(url);
  ASSERT_TRUE(follower.ok() && writer.ok()) << follower.status().ToString() << PgTestServer::error();
  Wakes wakes;
  uint64_t id = (*follower)->SubscribeEvents([&] { wakes.Wake(); });
  // The listener wakes subscribers once when it starts listening.
  ASSERT_TRUE(wakes.WaitPast(0, std::chrono::seconds(5)));

  int before = wakes.count();
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(AppendOne(**writer, "a").ok());
  ASSERT_TRUE(wakes.WaitPast(before, std::chrono::seconds(1)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));

  before = wakes.count();
  ASSERT_TRUE((*writer)->Transact([](StoreTransaction& txn) { return txn.PutModelGroup({"g", "", 0, 1}); }).ok());
  EXPECT_FALSE(wakes.WaitPast(before, std::chrono::milliseconds(300)));

  (*follower)->UnsubscribeEvents(id);
  before = wakes.count();
  ASSERT_TRUE(AppendOne(**writer, "b").ok());
  EXPECT_FALSE(wakes.WaitPast(before, std::chrono::milliseconds(300)));
}

// Two servers lease queue messages at once: each claims rows the other does
// not hold (SKIP LOCKED), without waiting for the other's transaction to end;
// and a claims transaction may not write events.
TEST(PgMetadataStoreTest, ClaimsTakeDisjointRowsWithoutWaitingForEachOther) {
  std::string url = PgTestServer::UrlOf("grove_claims");
  auto a = OpenMetadataStore(url);
  auto b = OpenMetadataStore(url);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << PgTestServer::error();
  QueueFileRecord file;
  file.key = "f";
  file.path = "/in/f.csv";
  file.digest = std::string(64, 'f');
  file.columns = {"a"};
  file.dimension = "d";
  file.endpoint = "e";
  file.model = "m";
  ASSERT_TRUE((*a)->Transact([&](StoreTransaction& txn) {
                  return EnqueueFileRows(txn, file, {"1", "2", "3", "4"}, 2, 1).status();
                }).ok());

  std::promise<void> a_holds;
  std::promise<void> b_done;
  std::vector<QueueMessageRecord> leased_a;
  std::vector<QueueMessageRecord> leased_b;
  std::thread claimer([&] {
    Status s = (*a)->TransactClaims([&](StoreTransaction& txn) -> Status {
      ASSIGN_OR_RETURN(leased_a, LeaseMessages(txn, 2, 10, 30'000, 11));
      a_holds.set_value();
      // Holds its rows until B has claimed: B must not wait for this transaction.
      b_done.get_future().wait_for(std::chrono::seconds(10));
      return Status::OK();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  a_holds.get_future().wait();
  auto started = std::chrono::steady_clock::now();
  Status s = (*b)->TransactClaims([&](StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(leased_b, LeaseMessages(txn, 10, 10, 30'000, 22));
    return Status::OK();
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  b_done.set_value();
  claimer.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(leased_a.size(), 2u);
  ASSERT_EQ(leased_b.size(), 2u);
  std::set<int64_t> ids;
  for (const auto& m : leased_a) ids.insert(m.id);
  for (const auto& m : leased_b) ids.insert(m.id);
  EXPECT_EQ(ids.size(), 4u);

  Status event = (*a)->TransactClaims([](StoreTransaction& txn) {
    return txn.AppendEvent(1, "test.event", "x", Json::object()).status();
  });
  EXPECT_EQ(event.code(), StatusCode::kInternal);
}

TEST(PgMetadataStoreTest, PasswordsNeverAppearInNames) {
  EXPECT_EQ(RedactedUrl("postgresql://grove:pw@db:5432/grove"), "postgresql://grove:***@db:5432/grove");
  EXPECT_EQ(RedactedUrl("postgresql://grove@db/grove"), "postgresql://grove@db/grove");
  EXPECT_EQ(RedactedUrl("postgresql://db/grove"), "postgresql://db/grove");
}

}  // namespace
}  // namespace grove::store
