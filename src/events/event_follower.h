#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "store/metadata_store.h"
#include "store/records.h"

namespace grove::events {

// Follows the metadata store's event log: every `interval`, and at once when
// the store says events were committed (MetadataStore::SubscribeEvents: this
// process's commits, and every process's on PostgreSQL), it reads the events
// appended since the last delivered one (by any process sharing the store)
// and hands them, oldest first, to the callback. A callback that
// fails gets the same events again at the next poll, so nothing is skipped.
//
// Thread safety: Start and Stop from one thread; the callback runs on the
// follower's own thread.
class EventFollower {
 public:
  using Callback = std::function<Status(const std::vector<store::EventRecord>&)>;

  // Delivers events with seq > `after`.
  EventFollower(store::MetadataStore* metadata, std::chrono::milliseconds interval, int64_t after, Callback callback);
  ~EventFollower();
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;

  // Reads and delivers what is new now, in pages, on the caller's thread.
  // Returns how many events were delivered. Not to be mixed with Start.
  Result<size_t> PollOnce();

  // Polls on a thread of its own until Stop. Failures are reported by the
  // callback's caller through `on_error` (may be null) and retried.
  void Start(std::function<void(const Status&)> on_error);
  void Stop();

  // The seq of the last event delivered.
  int64_t last_seq() const { return last_seq_.load(); }

 private:
  void Loop(std::function<void(const Status&)> on_error);

  store::MetadataStore* metadata_;
  const std::chrono::milliseconds interval_;
  const Callback callback_;
  std::atomic<int64_t> last_seq_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Protected by mutex_.
  bool poked_ = false;     // The store signalled new events. Protected by mutex_.
  uint64_t subscription_ = 0;
  std::thread thread_;
};

// The seq of the newest event in the store (0 when there is none).
Result<int64_t> LatestEventSeq(store::MetadataStore& metadata);
// The same inside a transaction or snapshot.
Result<int64_t> LatestEventSeq(store::StoreReader& rows);

// Whether an event can change what endpoints serve (model.*, endpoint.*).
bool ChangesEndpoints(const store::EventRecord& event);

}  // namespace grove::events
