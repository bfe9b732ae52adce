#include "store/event_table.h"

#include <gtest/gtest.h>

#include "store/sqlite_test_fixture.h"

namespace grove::store {
namespace {

using EventTableTest = SqliteStoreTest;

ModelVersionRecord Version(const std::string& group) {
  ModelVersionRecord v;
  v.group = group;
  return v;
}

TEST_F(EventTableTest, EventsArePagedBySeqOldestFirst) {
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(10);
    ASSERT_TRUE(store_->CreateModelVersion(Version("G")).ok());
  }
  auto first = store_->ListEvents(0, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].subject, "G/1");
  EXPECT_EQ((*first)[1].subject, "G/2");
  EXPECT_LT((*first)[0].seq, (*first)[1].seq);
  EXPECT_EQ((*first)[1].at, (*first)[0].at + 10);

  auto second = store_->ListEvents(first->back().seq, 2);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].subject, "G/3");
  auto rest = store_->ListEvents(second->back().seq, 100);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].subject, "G/5");
  EXPECT_TRUE(store_->ListEvents(rest->back().seq, 100)->empty());
  EXPECT_EQ(store_->ListEvents(0, 0)->size(), 5u);  // No limit.
}

TEST_F(EventTableTest, EachKindOfChangeIsAnEventInOrder) {
  MakeExecution("e1");
  ASSERT_TRUE(store_->PutStepRun(MakeRun("e1", "Train", kExecuting), {}, {}).ok());
  ASSERT_TRUE(store_->UpdateExecutionStatus("e1", kSucceeded, "", 1).ok());
  ASSERT_TRUE(store_->CreateModelVersion(Version("G")).ok());
  ASSERT_TRUE(store_->SetApproval("G", 1, {kApproved, "", "me", 0}).ok());
  std::vector<std::string> kinds;
  for (const EventRecord& e : Events()) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{kEventPipelineVersion, kEventExecutionCreated, kEventStepStatus,
                                             kEventExecutionStatus, kEventModelCreated, kEventModelApproval}));
}

// Events and the changes they describe commit together: a change that fails
// leaves no event.
TEST_F(EventTableTest, FailedChangesLeaveNoEvents) {
  MakeExecution("e1");
  size_t before = Events().size();
  EXPECT_FALSE(store_->RequestStop("nope").ok());
  EXPECT_FALSE(store_->PutStepRun(MakeRun("e1", "T", kSucceeded), {}, {{"e1", "T", "input", "x", "d"}}).ok());
  EXPECT_FALSE(store_->SetApproval("G", 1, {kApproved, "", "", 0}).ok());
  EXPECT_EQ(Events().size(), before);
}

}  // namespace
}  // namespace grove::store
