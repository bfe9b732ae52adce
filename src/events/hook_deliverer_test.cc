#include "events/hook_deliverer.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/file_util.h"
#include "events/fake_hook_targets.h"

namespace grove::events {
namespace {

class HookDelivererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value());
    options_.backoff_ms = 1000;
    options_.poll = std::chrono::milliseconds(10);
  }
  void AddHook(const std::string& name, const std::string& body) {
    std::string field;
    HookSpec spec = HookSpecFromJson(name, Json::parse(body), &field).value();
    ASSERT_TRUE(CreateHook(*metadata_, spec).ok());
  }
  int64_t Approve(const std::string& group, int version, const std::string& status = "Approved") {
    return store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) {
             return txn.AppendEvent(clock_.Now(), "model.approval", group + "/" + std::to_string(version),
                                    {{"group", group}, {"version", version}, {"status", status}});
           }).value();
  }
  std::vector<HookDelivery> Deliveries(const std::string& hook, const std::string& status = "") {
    return store::ReadValue(*metadata_, [&](store::StoreReader& rows) { return ListDeliveries(rows, hook, status); })
        .value();
  }
  HookDeliverer NewDeliverer() { return HookDeliverer(metadata_.get(), &targets_, &clock_, options_); }

  TempDir dir_;
  FakeClock clock_{1'767'225'600'000};
  std::unique_ptr<store::MetadataStore> metadata_;
  FakeHookTargets targets_;
  HookDelivererOptions options_;
};

TEST_F(HookDelivererTest, MatchesTypeAndWhereAndSkipsHistory) {
  Approve("old-model-registry", 1);  // Before the hook: not delivered.
  AddHook("approved", R"({"on": "model.approved", "where": {"group": "*-model-registry"}, "webhook": "http://x/h"})");
  AddHook("all-models", R"({"on": "model.*", "command": "true"})");
  Approve("abalone-model-registry", 2);
  Approve("other", 1);
  Approve("abalone-model-registry", 3, "Rejected");
  HookDeliverer deliverer = NewDeliverer();
  ASSERT_EQ(deliverer.RunOnce().value(), 4);
  std::vector<FakeHookTargets::Call> approved = targets_.CallsOf("approved");
  ASSERT_EQ(approved.size(), 1u);
  EXPECT_EQ(approved[0].event["group"], "abalone-model-registry");
  EXPECT_EQ(approved[0].event["type"], "model.approved");
  EXPECT_EQ(approved[0].secret.size(), 64u);  // Generated for a webhook.
  EXPECT_EQ(targets_.CallsOf("all-models").size(), 3u);
  EXPECT_EQ(Deliveries("approved", kDeliveryDelivered).size(), 1u);
  EXPECT_TRUE(targets_.CallsOf("all-models")[0].secret.empty());
  // Nothing new: nothing again.
  EXPECT_EQ(deliverer.RunOnce().value(), 0);
}

TEST_F(HookDelivererTest, RetriesWithBackoffThenDeadThenReplay) {
  AddHook("flaky", R"({"on": "model.approved", "webhook": "http://x/h", "max_attempts": 3})");
  targets_.SetFailing("flaky", true);
  Approve("g", 1);
  HookDeliverer deliverer = NewDeliverer();
  ASSERT_EQ(deliverer.RunOnce().value(), 1);
  EXPECT_EQ(deliverer.RunOnce().value(), 0);  // Not due before the backoff.
  clock_.Advance(999);
  EXPECT_EQ(deliverer.RunOnce().value(), 0);
  clock_.Advance(1);
  EXPECT_EQ(deliverer.RunOnce().value(), 1);  // Second attempt after 1 s.
  clock_.Advance(1999);
  EXPECT_EQ(deliverer.RunOnce().value(), 0);
  clock_.Advance(1);
  EXPECT_EQ(deliverer.RunOnce().value(), 1);  // Third after 2 s more: dead.
  std::vector<HookDelivery> dead = Deliveries("flaky", kDeliveryDead);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].attempts, 3);
  ASSERT_EQ(dead[0].history.size(), 3u);
  EXPECT_EQ(dead[0].history[0].outcome, "HTTP 500");
  clock_.Advance(1'000'000);
  EXPECT_EQ(deliverer.RunOnce().value(), 0);  // Dead stays dead.

  targets_.SetFailing("flaky", false);
  EXPECT_EQ(ReplayDeliveries(*metadata_, "flaky", 0).value(), 1);
  EXPECT_EQ(deliverer.RunOnce().value(), 1);
  std::vector<HookDelivery> all = Deliveries("flaky");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].status, kDeliveryDelivered);
  EXPECT_EQ(all[0].history.size(), 4u);
  // One id across every attempt, for the receiver's deduplication.
  std::vector<FakeHookTargets::Call> calls = targets_.CallsOf("flaky");
  ASSERT_EQ(calls.size(), 4u);
  for (const auto& c : calls) EXPECT_EQ(c.delivery_id, all[0].id);
  // Replaying by seq delivers again.
  EXPECT_EQ(ReplayDeliveries(*metadata_, "flaky", all[0].seq).value(), 1);
  EXPECT_EQ(deliverer.RunOnce().value(), 1);
  EXPECT_EQ(targets_.CallsOf("flaky").size(), 5u);
  EXPECT_EQ(ReplayDeliveries(*metadata_, "flaky", 999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReplayDeliveries(*metadata_, "nope", 0).status().code(), StatusCode::kNotFound);
}

TEST_F(HookDelivererTest, BackoffDoublesUpToTheCap) {
  HookDelivererOptions o;
  o.backoff_ms = 1000;
  o.max_backoff_ms = 5000;
  EXPECT_EQ(BackoffAfter(1, o), 1000);
  EXPECT_EQ(BackoffAfter(2, o), 2000);
  EXPECT_EQ(BackoffAfter(3, o), 4000);
  EXPECT_EQ(BackoffAfter(4, o), 5000);
  EXPECT_EQ(BackoffAfter(60, o), 5000);
}

TEST_F(HookDelivererTest, ResumesFromTheDurableCursor) {
  AddHook("h", R"({"on": "model.approved", "command": "true"})");
  Approve("g", 1);
  {
    HookDeliverer first = NewDeliverer();
    ASSERT_EQ(first.ScanEvents().value(), 1);  // Recorded, not yet attempted: the "server" stops here.
  }
  Approve("g", 2);  // While no server runs.
  HookDeliverer second = NewDeliverer();
  EXPECT_EQ(second.RunOnce().value(), 2);
  std::vector<FakeHookTargets::Call> calls = targets_.CallsOf("h");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].event["version"], 1);
  EXPECT_EQ(calls[1].event["version"], 2);
  EXPECT_EQ(second.RunOnce().value(), 0);
  // Replacing the hook keeps its cursor and deliveries.
  std::string field;
  HookSpec spec = HookSpecFromJson("h", Json::parse(R"({"on": "model.*", "command": "false"})"), &field).value();
  ASSERT_TRUE(metadata_->Transact([&](store::StoreTransaction& txn) { return PutHook(txn, spec, clock_.Now()); }).ok());
  EXPECT_EQ(second.RunOnce().value(), 0);
  EXPECT_EQ(Deliveries("h").size(), 2u);
  std::vector<HookSpec> hooks = store::ReadValue(*metadata_, [](store::StoreReader& r) { return ListHooks(r); }).value();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0], spec);
  // Deleting it deletes its deliveries.
  ASSERT_TRUE(RemoveHook(*metadata_, "h").ok());
  EXPECT_TRUE(Deliveries("h").empty());
  EXPECT_EQ(RemoveHook(*metadata_, "h").code(), StatusCode::kNotFound);
}

TEST_F(HookDelivererTest, ASlowHookDelaysOnlyItself) {
  AddHook("slow", R"({"on": "model.approved", "command": "true"})");
  AddHook("fast", R"({"on": "model.approved", "command": "true"})");
  targets_.Block("slow");
  Approve("g", 1);
  Approve("g", 2);
  HookDeliverer deliverer = NewDeliverer();
  deliverer.Start(nullptr);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while ((Deliveries("fast", kDeliveryDelivered).size() < 2 || targets_.CallsOf("slow").empty()) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(Deliveries("fast", kDeliveryDelivered).size(), 2u);
  EXPECT_EQ(targets_.CallsOf("slow").size(), 1u);  // Stuck in its first attempt.
  targets_.Release("slow");
  while (Deliveries("slow", kDeliveryDelivered).size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(Deliveries("slow", kDeliveryDelivered).size(), 2u);
  deliverer.Stop();
}

TEST_F(HookDelivererTest, SecretFromTheEnvironment) {
  AddHook("env", R"({"on": "model.approved", "webhook": "http://x/h", "secret_env": "GROVE_TEST_HOOK_SECRET"})");
  Approve("g", 1);
  HookDeliverer deliverer = NewDeliverer();
  ::unsetenv("GROVE_TEST_HOOK_SECRET");
  ASSERT_EQ(deliverer.RunOnce().value(), 1);
  EXPECT_TRUE(targets_.calls().empty());
  std::vector<HookDelivery> pending = Deliveries("env", kDeliveryPending);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_NE(pending[0].history[0].detail.find("GROVE_TEST_HOOK_SECRET"), std::string::npos);
  ::setenv("GROVE_TEST_HOOK_SECRET", "s3cret", 1);
  clock_.Advance(1000);
  ASSERT_EQ(deliverer.RunOnce().value(), 1);
  ASSERT_EQ(targets_.calls().size(), 1u);
  EXPECT_EQ(targets_.calls()[0].secret, "s3cret");
  ::unsetenv("GROVE_TEST_HOOK_SECRET");
}

}  // namespace
}  // namespace grove::events
