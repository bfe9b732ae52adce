#include "serving/loader_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace grove::serving {

LoaderPool::LoaderPool(ModelCache* cache, LoaderPoolOptions options) : cache_(cache), options_(options) {
  for (int i = 0; i < std::max(options_.threads, 1); ++i) threads_.emplace_back([this] { Run(); });
}

LoaderPool::~LoaderPool() {
  std::unordered_map<std::string, std::vector<Done>> left;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    left.swap(waiters_);
    queue_.clear();
  }
  for (auto& [key, dones] : left) {
    for (Done& done : dones) done(Status::Cancelled("the server is stopping; " + key + " was not loaded"));
  }
}

void LoaderPool::Load(const std::string& key, Done done) {
  if (ModelCache::Model model = cache_->Peek(key)) return done(std::move(model));  // Loaded meanwhile.
  std::unique_lock<std::mutex> lock(mutex_);
  auto joined = waiters_.find(key);
  if (joined != waiters_.end() && !stopping_) {
    ++stats_.joined;
    joined->second.push_back(std::move(done));
    return;
  }
  if (stopping_ || queue_.size() >= options_.max_queued) {
    ++stats_.rejected;
    lock.unlock();
    done(Status::Cancelled("model loads are queued at capacity (" + std::to_string(options_.max_queued) +
                           " models); " + key + " was not loaded: retry later"));
    return;
  }
  waiters_[key].push_back(std::move(done));
  queue_.push_back(key);
  stats_.queued = queue_.size();
  lock.unlock();
  work_.notify_one();
}

void LoaderPool::Run() {
  if (options_.nice != 0) {  // Linux: a thread's own nice value, named by its thread id.
    const id_t self = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    int current = ::getpriority(PRIO_PROCESS, self);
    if (errno == 0) (void)::setpriority(PRIO_PROCESS, self, std::clamp(current + options_.nice, -20, 19));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    std::string key = std::move(queue_.front());
    queue_.pop_front();
    stats_.queued = queue_.size();
    ++stats_.loads;
    lock.unlock();
    Result<ModelCache::Model> result = cache_->Get(key);
    lock.lock();
    // Calls that joined until now share this result.
    std::vector<Done> dones = std::move(waiters_[key]);
    waiters_.erase(key);
    lock.unlock();
    for (Done& done : dones) done(result);
    lock.lock();
  }
}

LoaderPoolStats LoaderPool::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace grove::serving
