#pragma once

#include <mutex>
#include <set>
#include <string>

namespace grove::store {

// Tells whether the process that owns an execution's lease is gone, so that
// its executions need not wait for the lease to expire. An owner is
// "<host>:<pid>" (ExecutionRecord::lease_owner). Thread-safe.
class OwnerLiveness {
 public:
  virtual ~OwnerLiveness() = default;
  // True only when `owner` is known to be gone; false when it lives, runs on
  // another machine, or cannot be told (then only the lease decides).
  virtual bool IsGone(const std::string& owner) const = 0;
};

// The real check: `owner` names this machine (its hostname) and a process id
// that no longer exists (kill(pid, 0) fails with ESRCH). A reused pid looks
// alive; the lease still ends such an execution.
const OwnerLiveness* LocalOwnerLiveness();

// This process as a lease owner: "<hostname>:<pid>".
std::string ThisProcessOwner();

// For tests: owners are alive until marked gone.
class FakeOwnerLiveness : public OwnerLiveness {
 public:
  bool IsGone(const std::string& owner) const override {
    std::lock_guard<std::mutex> lock(mu_);
    return gone_.count(owner) > 0;
  }
  void MarkGone(const std::string& owner) {
    std::lock_guard<std::mutex> lock(mu_);
    gone_.insert(owner);
  }

 private:
  mutable std::mutex mu_;
  std::set<std::string> gone_;  // Guarded by mu_.
};

}  // namespace grove::store
