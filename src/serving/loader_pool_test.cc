#include "serving/loader_pool.h"

#include <gmock/gmock.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "serving/fake_model.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;
using testing::FakeModel;
using namespace std::chrono_literals;

// The calling thread's nice value.
int ThreadNice() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))); }

// A cache whose loader blocks on "slow/..." keys until Release(), and fails "bad/..." keys.
class LoaderPoolTest : public ::testing::Test {
 protected:
  LoaderPoolTest()
      : release_(released_.get_future().share()),
        cache_(ModelCacheOptions{}, [this](const std::string& key) -> Result<ModelCache::Model> {
          ++calls_;
          loader_nice_ = ThreadNice();
          if (key.rfind("slow/", 0) == 0) {
            ++blocked_;
            release_.wait();
          }
          if (key.rfind("bad/", 0) == 0) return Status::IOError("cannot load " + key);
          return FakeModel(key);
        }) {}
  ~LoaderPoolTest() override { Release(); }

  void Release() {
    if (!released_flag_.exchange(true)) released_.set_value();
  }
  // Waits until `n` loads are blocked in the loader.
  bool WaitBlocked(int n) {
    for (int i = 0; i < 500 && blocked_.load() < n; ++i) std::this_thread::sleep_for(10ms);
    return blocked_.load() >= n;
  }

  // A Done that records its result into a future.
  struct Answer {
    std::promise<Result<ModelCache::Model>> promise;
    std::future<Result<ModelCache::Model>> future = promise.get_future();
    LoaderPool::Done done() {
      return [this](Result<ModelCache::Model> r) { promise.set_value(std::move(r)); };
    }
    bool ready() { return future.wait_for(0s) == std::future_status::ready; }
    Result<ModelCache::Model> get() {
      if (future.wait_for(5s) != std::future_status::ready) return Status::Internal("no answer in 5 s");
      return future.get();
    }
  };

  std::promise<void> released_;
  std::shared_future<void> release_;
  std::atomic<bool> released_flag_{false};
  std::atomic<int> calls_{0}, blocked_{0};
  std::atomic<int> loader_nice_{-100};  // The nice value of the thread that ran the last load.
  ModelCache cache_;
};

TEST_F(LoaderPoolTest, LoadsOnItsThreadsAndGivesLoadedModelsAtOnce) {
  LoaderPool pool(&cache_, {});
  Answer first;
  pool.Load("m/1", first.done());
  Result<ModelCache::Model> model = first.get();
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ((*model)->info().Key(), "m/1");
  // Loaded now: given on the calling thread, without the queue.
  Answer again;
  pool.Load("m/1", again.done());
  EXPECT_TRUE(again.ready());
  EXPECT_EQ(calls_.load(), 1);
  EXPECT_EQ(pool.stats().loads, 1u);
}

TEST_F(LoaderPoolTest, LoaderThreadsRunBelowTheCallersPriority) {
  const int mine = ThreadNice();
  {
    LoaderPool pool(&cache_, {.threads = 1, .max_queued = 16, .nice = 10});
    Answer a;
    pool.Load("m/1", a.done());
    ASSERT_TRUE(a.get().ok());
    EXPECT_EQ(loader_nice_.load(), std::min(mine + 10, 19));
  }
  LoaderPool same(&cache_, {.threads = 1, .max_queued = 16, .nice = 0});
  Answer b;
  same.Load("m/2", b.done());
  ASSERT_TRUE(b.get().ok());
  EXPECT_EQ(loader_nice_.load(), mine);
  EXPECT_EQ(ThreadNice(), mine);  // The caller's own priority is untouched.
}

TEST_F(LoaderPoolTest, ConcurrentLoadsOfOneKeyShareOneLoaderCall) {
  LoaderPool pool(&cache_, {.threads = 2, .max_queued = 16});
  std::vector<std::unique_ptr<Answer>> answers;
  for (int i = 0; i < 6; ++i) {
    answers.push_back(std::make_unique<Answer>());
    pool.Load("slow/1", answers.back()->done());
  }
  ASSERT_TRUE(WaitBlocked(1));
  Release();
  for (auto& a : answers) {
    Result<ModelCache::Model> model = a->get();
    ASSERT_TRUE(model.ok());
    EXPECT_EQ((*model)->info().Key(), "slow/1");
  }
  EXPECT_EQ(calls_.load(), 1);
  EXPECT_EQ(pool.stats().joined, 5u);
}

TEST_F(LoaderPoolTest, AFloodOfSlowMissesLeavesLoadedModelsAnsweredAtOnce) {
  ASSERT_TRUE(cache_.Get("hot/1").ok());
  LoaderPool pool(&cache_, {.threads = 2, .max_queued = 1000});
  std::vector<std::unique_ptr<Answer>> misses;
  for (int i = 0; i < 200; ++i) {
    misses.push_back(std::make_unique<Answer>());
    pool.Load("slow/" + std::to_string(i), misses.back()->done());
  }
  ASSERT_TRUE(WaitBlocked(2));  // Both threads are stuck in slow loads.
  auto start = std::chrono::steady_clock::now();
  Answer hit;
  pool.Load("hot/1", hit.done());
  EXPECT_TRUE(hit.ready());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 50ms);
  EXPECT_TRUE(cache_.Peek("hot/1") != nullptr);
  EXPECT_FALSE(misses.back()->ready());
  Release();
  for (auto& m : misses) EXPECT_TRUE(m->get().ok());
}

TEST_F(LoaderPoolTest, AFullQueueRefusesAtOnceWithCancelled) {
  LoaderPool pool(&cache_, {.threads = 1, .max_queued = 3});
  std::vector<std::unique_ptr<Answer>> queued;
  for (int i = 0; i < 4; ++i) {  // One loading, three queued.
    queued.push_back(std::make_unique<Answer>());
    pool.Load("slow/" + std::to_string(i), queued.back()->done());
    if (i == 0) {
      ASSERT_TRUE(WaitBlocked(1));
    }
  }
  Answer refused;
  pool.Load("slow/9", refused.done());
  ASSERT_TRUE(refused.ready());
  Result<ModelCache::Model> r = refused.get();
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_THAT(r.status().message(), HasSubstr("queued at capacity (3 models)"));
  // Joining a queued key is no new entry: still accepted.
  Answer joined;
  pool.Load("slow/2", joined.done());
  EXPECT_FALSE(joined.ready());
  EXPECT_EQ(pool.stats().rejected, 1u);
  EXPECT_EQ(pool.stats().queued, 3u);
  Release();
  for (auto& q : queued) EXPECT_TRUE(q->get().ok());
  EXPECT_TRUE(joined.get().ok());
}

TEST_F(LoaderPoolTest, AFailedLoadReachesEveryWaiterAndTheNextLoadRetries) {
  LoaderPool pool(&cache_, {});
  Answer a, b;
  pool.Load("bad/1", a.done());
  pool.Load("bad/1", b.done());
  EXPECT_EQ(a.get().status().code(), StatusCode::kIOError);
  EXPECT_EQ(b.get().status().code(), StatusCode::kIOError);
  int before = calls_.load();
  Answer c;
  pool.Load("bad/1", c.done());
  EXPECT_FALSE(c.get().ok());
  EXPECT_EQ(calls_.load(), before + 1);
}

TEST_F(LoaderPoolTest, StoppingFinishesRunningLoadsAndCancelsQueuedOnes) {
  Answer running, queued;
  auto pool = std::make_unique<LoaderPool>(&cache_, LoaderPoolOptions{.threads = 1, .max_queued = 8});
  pool->Load("slow/1", running.done());
  ASSERT_TRUE(WaitBlocked(1));
  pool->Load("slow/2", queued.done());
  std::thread stopper([&] { pool.reset(); });
  std::this_thread::sleep_for(20ms);
  Release();
  stopper.join();
  EXPECT_TRUE(running.get().ok());
  EXPECT_EQ(queued.get().status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace grove::serving
