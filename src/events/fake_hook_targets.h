#pragma once

// A HookTargets for tests: records each request and answers what the test
// says per hook (success by default); a hook can be made to block until released.

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "events/hook_target.h"

namespace grove::events {

class FakeHookTargets : public HookTargets {
 public:
  struct Call {
    std::string hook;
    std::string delivery_id;
    std::string secret;
    Json event;
  };

  HookAttempt Deliver(const HookRequest& request) override {
    std::unique_lock<std::mutex> lock(mutex_);
    calls_.push_back({request.spec->name, request.delivery_id, request.secret, *request.event});
    changed_.notify_all();
    changed_.wait(lock, [&] { return !blocked_.count(request.spec->name); });
    auto it = fail_.find(request.spec->name);
    if (it != fail_.end() && it->second) return {0, false, "HTTP 500", "down"};
    return {0, true, "HTTP 200", "ok"};
  }

  void SetFailing(const std::string& hook, bool failing) {
    std::lock_guard<std::mutex> lock(mutex_);
    fail_[hook] = failing;
  }
  void Block(const std::string& hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    blocked_.insert(hook);
  }
  void Release(const std::string& hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    blocked_.erase(hook);
    changed_.notify_all();
  }
  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  std::vector<Call> CallsOf(const std::string& hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Call> out;
    for (const Call& c : calls_) {
      if (c.hook == hook) out.push_back(c);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Call> calls_;
  std::map<std::string, bool> fail_;
  std::set<std::string> blocked_;
};

}  // namespace grove::events
