#include "store/trigger_firing_records.h"

#include <gtest/gtest.h>

#include "store/metadata_store.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// Trigger firings over every backend's rows.
template <typename Backend>
class TriggerFiringRecordsTest : public StoreTest<Backend> {
 protected:
  Result<std::optional<TriggerFiringRecord>> Claim(const std::string& trigger, const std::string& identity,
                                                   TimeMs now) {
    TriggerFiringRecord f;
    f.trigger = trigger;
    f.identity = identity;
    f.path = "/in/" + identity;
    f.parameters = Json{{"StateDim", "D1"}};
    return this->Transact([&](StoreTransaction& t) { return ClaimFiring(t, f, now); });
  }
};

TYPED_TEST_SUITE(TriggerFiringRecordsTest, StoreBackends, BackendNames);

TYPED_TEST(TriggerFiringRecordsTest, AnIdentityIsClaimedOncePerTrigger) {
  auto first = this->Claim("t", "a.csv|10|1", 100);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->status, kFiringClaimed);
  EXPECT_EQ((*first)->id.size(), 12u);
  auto again = this->Claim("t", "a.csv|10|1", 200);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  // Another connection (another process) sees the claim too.
  auto other = this->Open();
  auto seen = ReadValue(*other, [](StoreReader& r) { return r.FindFiring("t", "a.csv|10|1"); });
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->has_value());
  EXPECT_EQ((*seen)->parameters["StateDim"], "D1");
  // The same file for another trigger, or changed, is a new arrival.
  EXPECT_TRUE(this->Claim("u", "a.csv|10|1", 300)->has_value());
  EXPECT_TRUE(this->Claim("t", "a.csv|11|2", 300)->has_value());
}

TYPED_TEST(TriggerFiringRecordsTest, CompletesOnceAndAppendsAnEvent) {
  TriggerFiringRecord claimed = **this->Claim("t", "a.csv|10|1", 100);
  auto incomplete = this->Read([](StoreReader& r) { return ListIncompleteFirings(r); });
  ASSERT_TRUE(incomplete.ok());
  ASSERT_EQ(incomplete->size(), 1u);
  auto done = this->Transact([&](StoreTransaction& t) {
    return CompleteFiring(t, claimed, {kFiringStarted, "exec00000001", 0, ""}, 150);
  });
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->execution_id, "exec00000001");
  EXPECT_EQ(done->completed_at, 150);
  EXPECT_TRUE(this->Read([](StoreReader& r) { return ListIncompleteFirings(r); })->empty());
  auto twice = this->Transact([&](StoreTransaction& t) {
    return CompleteFiring(t, claimed, {kFiringFailed, "", 0, "late"}, 160);
  });
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  auto events = this->store_->ListEvents(0, 0);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().kind, kEventTriggerFired);
  EXPECT_EQ(events->back().payload["execution_id"], "exec00000001");
}

TYPED_TEST(TriggerFiringRecordsTest, ListsNewestFirstAndDeletesByTrigger) {
  ASSERT_TRUE(this->Claim("t", "1", 100)->has_value());
  ASSERT_TRUE(this->Claim("t", "2", 300)->has_value());
  ASSERT_TRUE(this->Claim("u", "3", 200)->has_value());
  auto recent = this->Read([](StoreReader& r) { return ListRecentFirings(r, "t", 0); });
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].identity, "2");
  EXPECT_EQ(this->Read([](StoreReader& r) { return ListRecentFirings(r, "", 2); })->size(), 2u);
  ASSERT_TRUE(this->store_->Transact([](StoreTransaction& t) { return t.DeleteFirings("t"); }).ok());
  EXPECT_TRUE(this->Read([](StoreReader& r) { return ListRecentFirings(r, "t", 0); })->empty());
  EXPECT_EQ(this->Read([](StoreReader& r) { return ListRecentFirings(r, "u", 0); })->size(), 1u);
}

}  // namespace
}  // namespace grove::store
