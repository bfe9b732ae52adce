#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "events/cron.h"
#include "events/folder_watcher.h"
#include "events/trigger_actions.h"
#include "events/trigger_spec.h"
#include "store/metadata_store.h"
#include "store/trigger_firing_records.h"

namespace grove::events {

struct TriggerRunnerOptions {
  // The watched folders; watch patterns are relative to each. Created when missing.
  std::vector<std::filesystem::path> roots;
  // Whether S3 uploads (objects in the store) fire watch triggers too. Default: true.
  bool watch_s3 = true;
  // How often triggers are re-read from the store and S3 objects listed. Default: 1 s.
  TimeMs refresh_ms = 1000;
  // How long the thread waits for file events at most. Default: 100 ms.
  std::chrono::milliseconds poll{100};
  // Called with each completed firing (on the runner's thread); may be empty.
  std::function<void(const store::TriggerFiringRecord&)> on_fired;
};

// Fires triggers: matches files arriving under the roots (from a
// FolderWatcher, and a rescan at start-up), S3 objects under watched
// prefixes, and schedules on a Clock, and runs each firing's action once.
//
// Exactly-once: a firing is claimed in the store (unique per trigger and
// identity: path, size and mtime of a file; URI, ETag and time of an object;
// the slot time of a schedule) before its action runs, and completed with
// what the action did after. A claim that exists is never acted on again;
// Recover re-drives claims a crash left incomplete through the actions'
// idempotence per firing id (trigger_actions.h).
//
// A written file counts as arrived when its size and mtime have been stable
// for the trigger's settle_ms; a file renamed into place, at once.
//
// Thread safety: Start/Stop from one thread. Without Start, a test calls
// Recover, OnEvents and Tick itself on one thread.
class TriggerRunner {
 public:
  // `watcher` may be null (no folders). Pointers are not owned and must outlive the runner.
  TriggerRunner(store::MetadataStore* metadata, TriggerActions* actions, FolderWatcher* watcher, const Clock* clock,
                TriggerRunnerOptions options);
  ~TriggerRunner();
  TriggerRunner(const TriggerRunner&) = delete;
  TriggerRunner& operator=(const TriggerRunner&) = delete;

  // Watches the roots, loads the triggers, completes firings a crash left
  // Claimed, and rescans the roots (files that arrived while down fire).
  Status Recover();
  // Takes the watcher's events.
  void OnEvents(const std::vector<FileEvent>& events);
  // Does what is due at the clock's now: files that settled, schedules, and
  // (every refresh_ms) a re-read of the triggers and a listing of S3 objects.
  Status Tick();

  // Recover (its error is returned, and nothing runs), then Poll/OnEvents/Tick
  // on a thread of its own until Stop. Later errors go to `on_error` and are retried.
  Status Start(std::function<void(const Status&)> on_error);
  // Returns within about `options.poll`.
  void Stop();

  // Files seen but not yet settled (for tests).
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::filesystem::path root;
    int64_t size = -1;
    int64_t mtime_ns = -1;
    TimeMs stable_since = 0;
    bool moved_in = false;
  };
  struct Schedule {
    CronSchedule cron;
    TimeMs next = 0;
  };

  struct S3Arrival {
    std::string key, uri, identity, bucket;
  };

  Result<TriggerSpec> GetTrigger(const std::string& name);
  Status LoadTriggers();
  void Rescan(const std::filesystem::path& root);
  Status SettleFiles(TimeMs now);
  Status FireSchedules(TimeMs now);
  Status PollS3();
  // Fires every watch trigger matching `relative` (a path under a root or an S3 key).
  Status Arrived(const std::string& relative, const std::string& path, const std::string& identity,
                 const std::string& bucket, bool local);
  Status Fire(const TriggerSpec& spec, std::map<std::string, std::string> values, const std::string& path,
              const std::string& identity);
  // Runs the action of a claimed firing and completes it.
  Status Act(const TriggerSpec& spec, const store::TriggerFiringRecord& claimed);
  Status Complete(const store::TriggerFiringRecord& claimed, const store::FiringOutcome& outcome);
  int SettleMsFor(const std::string& relative) const;
  void Loop(std::function<void(const Status&)> on_error);

  store::MetadataStore* metadata_;
  TriggerActions* actions_;
  FolderWatcher* watcher_;
  const Clock* clock_;
  TriggerRunnerOptions options_;
  std::vector<std::filesystem::path> roots_;  // Absolute.

  // State below is used by one thread: the runner's, or the test's.
  std::map<std::string, TriggerSpec> triggers_;  // Active (not paused), by name.
  std::map<std::string, Schedule> schedules_;
  std::map<std::filesystem::path, Pending> pending_;
  std::set<std::string> seen_objects_;  // S3 identities already handled.
  std::vector<S3Arrival> s3_arrivals_;   // Listed by PollS3, fired after its read.
  TimeMs last_refresh_ = -1;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Protected by mu_.
  std::thread thread_;
};

// The identity of a file as it is now ("<path>|<size>|<mtime ns>"); NotFound when it is gone.
Result<std::string> FileIdentity(const std::filesystem::path& path);

}  // namespace grove::events
