#pragma once

// Delivers the event log to hooks (events/hook_records.h): each matching
// (hook, event) becomes a delivery record, attempted on the hook's target
// until it succeeds (at least once) or has failed max_attempts times (dead:
// the dead-letter list, `grove hook replay` makes it pending again).
//
// Each hook's cursor is advanced in the transaction that records the
// deliveries it creates, so events that happened while no server ran are
// delivered when one starts, and a crash loses none. Retries back off
// exponentially on the Clock. With Start, every hook has a worker thread of
// its own, so a slow or failing target delays only its own hook's deliveries.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "events/hook_records.h"
#include "events/hook_target.h"
#include "store/metadata_store.h"

namespace grove::events {

struct HookDelivererOptions {
  std::chrono::milliseconds poll{200};  // How often to read the log and look for due deliveries.
  TimeMs backoff_ms = 1000;             // After the first failure; doubling after each next one.
  TimeMs max_backoff_ms = 300000;
  // Called after each attempt (from the hook's worker); may be null.
  std::function<void(const HookDelivery&, const HookAttempt&)> on_attempt;
};

// Whether the public event matches the hook's `on` and every `where` glob.
bool HookMatches(const HookSpec& spec, const Json& event);

// The wait after the `failures`-th failed attempt: backoff_ms * 2^(failures-1), at most max_backoff_ms.
TimeMs BackoffAfter(int failures, const HookDelivererOptions& options);

class HookDeliverer {
 public:
  HookDeliverer(store::MetadataStore* metadata, HookTargets* targets, const Clock* clock,
                HookDelivererOptions options);
  ~HookDeliverer();
  HookDeliverer(const HookDeliverer&) = delete;
  HookDeliverer& operator=(const HookDeliverer&) = delete;

  // Reads the events after the hooks' cursors and records the deliveries they
  // make, advancing the cursors in the same transactions. Returns how many deliveries.
  Result<int> ScanEvents();
  // Attempts `hook`'s due deliveries, oldest first, on the caller's thread. Returns how many attempts.
  Result<int> DeliverDue(const std::string& hook);
  // ScanEvents, then DeliverDue for every hook, one after the other (for tests and tools).
  Result<int> RunOnce();

  // A scanning thread and a worker per hook, until Stop. Failures go to `on_error` (may be null) and are retried.
  void Start(std::function<void(const Status&)> on_error);
  // Waits for attempts in flight (bounded by the targets' timeouts).
  void Stop();

 private:
  struct Worker;
  Result<int> Attempt(const HookRecord& hook, int64_t seq);
  void ScanLoop();
  void WorkerLoop(Worker* worker);
  // Starts workers for new hooks and stops those of deleted ones.
  void SyncWorkers(const std::vector<HookRecord>& hooks);
  void Report(const Status& s);
  bool Stopping();
  // Waits up to `poll`, or until Stop; false when stopping.
  bool Sleep(std::chrono::milliseconds poll);

  store::MetadataStore* metadata_;
  HookTargets* targets_;
  const Clock* clock_;
  const HookDelivererOptions options_;
  std::function<void(const Status&)> on_error_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                                  // Protected by mutex_.
  std::map<std::string, std::unique_ptr<Worker>> workers_;  // By hook name; used by the scan thread only.
  std::thread scanner_;
};

}  // namespace grove::events
