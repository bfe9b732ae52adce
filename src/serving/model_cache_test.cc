#include "serving/model_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "common/test_util.h"
#include "serving/fake_model.h"

namespace grove::serving {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FakeModel;

class ModelCacheTest : public ::testing::Test {
 protected:
  std::unique_ptr<ModelCache> MakeCache(ModelCacheOptions options) {
    return std::make_unique<ModelCache>(
        options,
        [this](const std::string& key) -> Result<ModelCache::Model> {
          ++calls_;
          if (key.rfind("bad/", 0) == 0) return Status::NotFound("no model " + key);
          return FakeModel(key);
        },
        [this] { return now_ns_ += 2'000'000; });  // Every load takes 2 ms.
  }

  std::atomic<int> calls_{0};
  int64_t now_ns_ = 0;
};

TEST_F(ModelCacheTest, LoadsOnFirstUseThenHits) {
  auto cache = MakeCache({});
  auto a = cache->Get("a/1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->info().Key(), "a/1");
  EXPECT_EQ(cache->Get("a/1").value(), *a);
  EXPECT_EQ(calls_, 1);
  ModelCacheSnapshot s = cache->Snapshot();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.loads, 1u);
  EXPECT_DOUBLE_EQ(s.load_seconds, 0.002);
  EXPECT_EQ(s.loaded_models, 1u);
  EXPECT_EQ(s.loaded_bytes, (*a)->MemoryBytes());
}

TEST_F(ModelCacheTest, EvictsLeastRecentlyUsedUnderACountBudgetAndReloads) {
  auto cache = MakeCache({.max_models = 2});
  ASSERT_TRUE(cache->Get("a/1").ok());
  ASSERT_TRUE(cache->Get("b/1").ok());
  ASSERT_TRUE(cache->Get("a/1").ok());  // a is now the most recent.
  ASSERT_TRUE(cache->Get("c/1").ok());  // Evicts b.
  EXPECT_THAT(cache->LoadedKeys(), ElementsAre("c/1", "a/1"));
  EXPECT_EQ(cache->Peek("b/1"), nullptr);
  EXPECT_EQ(cache->Snapshot().evictions, 1u);
  ASSERT_TRUE(cache->Get("b/1").ok());  // Reloaded; evicts a.
  EXPECT_THAT(cache->LoadedKeys(), ElementsAre("b/1", "c/1"));
  EXPECT_EQ(calls_, 4);
  ModelCacheSnapshot s = cache->Snapshot();
  EXPECT_EQ(s.evictions, 2u);
  EXPECT_EQ(s.loads, 4u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 4u);
}

TEST_F(ModelCacheTest, EvictsUnderAMemoryBudgetButKeepsTheNewestEvenIfTooBig) {
  size_t one = FakeModel("x/1")->MemoryBytes();
  auto cache = MakeCache({.max_bytes = one * 5 / 2});
  for (const char* key : {"a/1", "b/1", "c/1"}) ASSERT_TRUE(cache->Get(key).ok());
  EXPECT_THAT(cache->LoadedKeys(), ElementsAre("c/1", "b/1"));
  EXPECT_EQ(cache->Snapshot().loaded_bytes, 2 * one);

  auto tiny = MakeCache({.max_bytes = 10});
  ASSERT_TRUE(tiny->Get("a/1").ok());
  ASSERT_TRUE(tiny->Get("b/1").ok());
  EXPECT_THAT(tiny->LoadedKeys(), ElementsAre("b/1"));
}

TEST_F(ModelCacheTest, EvictedModelStaysAliveForItsHolders) {
  auto cache = MakeCache({.max_models = 1});
  ModelCache::Model held = cache->Get("a/1").value();
  ASSERT_TRUE(cache->Get("b/1").ok());
  EXPECT_EQ(cache->Peek("a/1"), nullptr);
  std::vector<float> in = {1}, out(1);
  EXPECT_TRUE(held->predictor().PredictRows(in, 1, out).ok());
  EXPECT_EQ(held.use_count(), 1);
}

TEST_F(ModelCacheTest, ConcurrentFirstRequestsLoadOnce) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ModelCache cache({}, [&](const std::string& key) -> Result<ModelCache::Model> {
    ++calls_;
    released.wait();
    return FakeModel(key);
  });
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<ModelCache::Model> got(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { got[i] = cache.Get("a/1").value(); });
  }
  // Every thread has asked (and missed) before the load finishes.
  bool all_asked = WaitUntil([&] { return cache.Snapshot().misses >= kThreads; });
  release.set_value();
  for (auto& t : threads) t.join();
  EXPECT_TRUE(all_asked);
  EXPECT_EQ(calls_, 1);
  for (const auto& m : got) EXPECT_EQ(m, got[0]);
  ModelCacheSnapshot s = cache.Snapshot();
  EXPECT_EQ(s.loads, 1u);
  EXPECT_EQ(s.misses, static_cast<uint64_t>(kThreads));
}

TEST_F(ModelCacheTest, OtherKeysAreServedWhileOneLoads) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ModelCache cache({}, [&](const std::string& key) -> Result<ModelCache::Model> {
    if (key == "slow/1") released.wait();
    return FakeModel(key);
  });
  ASSERT_TRUE(cache.Get("fast/1").ok());
  std::thread slow([&] { EXPECT_TRUE(cache.Get("slow/1").ok()); });
  EXPECT_TRUE(WaitUntil([&] { return cache.Snapshot().misses >= 2; }));
  EXPECT_TRUE(cache.Get("fast/1").ok());  // Not blocked by the slow load.
  release.set_value();
  slow.join();
  EXPECT_EQ(cache.Snapshot().loaded_models, 2u);
}

TEST_F(ModelCacheTest, FailedLoadsAreReturnedAndRetried) {
  auto cache = MakeCache({});
  auto r = cache->Get("bad/1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(cache->Get("bad/1").ok());
  EXPECT_EQ(calls_, 2);
  ModelCacheSnapshot s = cache->Snapshot();
  EXPECT_EQ(s.load_failures, 2u);
  EXPECT_EQ(s.loads, 0u);
  EXPECT_EQ(s.loaded_models, 0u);
}

TEST_F(ModelCacheTest, EraseDropsTheModelAndALoadInFlight) {
  auto cache = MakeCache({});
  ASSERT_TRUE(cache->Get("a/1").ok());
  EXPECT_TRUE(cache->Erase("a/1"));
  EXPECT_FALSE(cache->Erase("a/1"));
  EXPECT_EQ(cache->Snapshot().loaded_bytes, 0u);
  EXPECT_EQ(cache->Snapshot().evictions, 0u);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ModelCache slow({}, [&](const std::string& key) -> Result<ModelCache::Model> {
    released.wait();
    return FakeModel(key);
  });
  std::thread t([&] { EXPECT_TRUE(slow.Get("a/1").ok()); });
  bool loading = WaitUntil([&] { return slow.Snapshot().misses >= 1; });
  slow.Erase("a/1");
  release.set_value();
  t.join();
  EXPECT_TRUE(loading);
  EXPECT_EQ(slow.Peek("a/1"), nullptr);
}

TEST_F(ModelCacheTest, PerModelCountersAndPrometheusText) {
  auto cache = MakeCache({.max_models = 1});
  ASSERT_TRUE(cache->Get("a/1").ok());
  cache->RecordRequest("a/1", 0.25);
  cache->RecordRequest("a/1", 0.5);
  ASSERT_TRUE(cache->Get("b\"x/2").ok());
  cache->RecordRequest("b\"x/2", 0.125);
  ModelCacheSnapshot s = cache->Snapshot();
  ASSERT_EQ(s.models.size(), 2u);
  EXPECT_EQ(s.models[0].key, "a/1");
  EXPECT_EQ(s.models[0].requests, 2u);
  EXPECT_DOUBLE_EQ(s.models[0].latency_seconds, 0.75);
  EXPECT_FALSE(s.models[0].loaded);
  EXPECT_TRUE(s.models[1].loaded);
  ModelStats one = cache->Stats("a/1");  // One key's counters: what an endpoint's description shows.
  EXPECT_EQ(one.requests, 2u);
  EXPECT_DOUBLE_EQ(one.latency_seconds, 0.75);
  EXPECT_FALSE(one.loaded);
  EXPECT_TRUE(cache->Stats("b\"x/2").loaded);
  ModelStats unseen = cache->Stats("c/3");
  EXPECT_EQ(unseen.key, "c/3");
  EXPECT_EQ(unseen.requests, 0u);
  std::string text = cache->PrometheusText();
  EXPECT_THAT(text, HasSubstr("# TYPE grove_model_cache_loads_total counter\ngrove_model_cache_loads_total 2\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_cache_evictions_total 1\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_cache_load_seconds_total 0.004\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_cache_loaded_models 1\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_requests_total{model=\"a/1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_request_latency_seconds_sum{model=\"a/1\"} 0.75\n"));
  EXPECT_THAT(text, HasSubstr("grove_model_request_latency_seconds_count{model=\"b\\\"x/2\"} 1\n"));
}

}  // namespace
}  // namespace grove::serving
