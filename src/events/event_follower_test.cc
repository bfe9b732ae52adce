#include "events/event_follower.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "common/file_util.h"
#include "common/test_util.h"

namespace grove::events {
namespace {

class EventFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
  }
  void AddVersion(const std::string& group) { AddVersionEvent(*metadata_, group); }

  // The event a registration appends (registry/ sits beside events/, so the test writes it itself).
  static void AddVersionEvent(store::MetadataStore& metadata, const std::string& group) {
    Status s = metadata.Transact([&](store::StoreTransaction& txn) {
      return txn.AppendEvent(1, store::kEventModelCreated, group + "/1", {{"group", group}, {"version", 1}}).status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  TempDir dir_;
  std::unique_ptr<store::MetadataStore> metadata_;
};

TEST_F(EventFollowerTest, DeliversNewEventsOnceInOrderAndRetriesAfterAFailure) {
  AddVersion("Old");
  Result<int64_t> latest = LatestEventSeq(*metadata_);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, 1);

  std::vector<std::string> seen;
  bool fail = true;
  EventFollower follower(metadata_.get(), std::chrono::milliseconds(10), *latest,
                         [&](const std::vector<store::EventRecord>& events) -> Status {
                           if (fail) return Status::Internal("not now");
                           for (const auto& e : events) seen.push_back(e.subject);
                           return Status::OK();
                         });
  AddVersion("A");
  AddVersion("B");
  EXPECT_FALSE(follower.PollOnce().ok());
  EXPECT_EQ(follower.last_seq(), 1);
  fail = false;
  EXPECT_EQ(*follower.PollOnce(), 2u);
  EXPECT_EQ(seen, (std::vector<std::string>{"A/1", "B/1"}));
  EXPECT_EQ(*follower.PollOnce(), 0u);
  EXPECT_EQ(follower.last_seq(), 3);
}

TEST_F(EventFollowerTest, ThreadSeesChangesFromAnotherConnectionQuickly) {
  std::mutex mu;
  std::vector<std::string> seen;
  EventFollower follower(metadata_.get(), std::chrono::milliseconds(20), 0,
                         [&](const std::vector<store::EventRecord>& events) {
                           std::lock_guard<std::mutex> lock(mu);
                           for (const auto& e : events) {
                             if (ChangesEndpoints(e)) seen.push_back(e.subject);
                           }
                           return Status::OK();
                         });
  follower.Start(nullptr);
  // A second connection, as another process would have.
  auto other = store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value();
  AddVersionEvent(*other, "Churn");
  WaitUntil([&] {
    std::lock_guard<std::mutex> lock(mu);
    return !seen.empty();
  });
  follower.Stop();
  ASSERT_EQ(seen, (std::vector<std::string>{"Churn/1"}));
}

TEST(ChangesEndpointsTest, OnlyModelAndEndpointEvents) {
  store::EventRecord e;
  e.kind = store::kEventModelApproval;
  EXPECT_TRUE(ChangesEndpoints(e));
  e.kind = store::kEventEndpointPromoted;
  EXPECT_TRUE(ChangesEndpoints(e));
  e.kind = store::kEventStepStatus;
  EXPECT_FALSE(ChangesEndpoints(e));
}

}  // namespace
}  // namespace grove::events
