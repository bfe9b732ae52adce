#include "events/event_follower.h"

namespace grove::events {

namespace {
constexpr int kPageSize = 1000;
}

EventFollower::EventFollower(store::MetadataStore* metadata, std::chrono::milliseconds interval, int64_t after,
                             Callback callback)
    : metadata_(metadata), interval_(interval), callback_(std::move(callback)), last_seq_(after) {}

EventFollower::~EventFollower() { Stop(); }

Result<size_t> EventFollower::PollOnce() {
  size_t delivered = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::EventRecord> events, metadata_->ListEvents(last_seq_.load(), kPageSize));
    if (events.empty()) return delivered;
    RETURN_IF_ERROR(callback_(events));
    last_seq_.store(events.back().seq);
    delivered += events.size();
    if (events.size() < static_cast<size_t>(kPageSize)) return delivered;
  }
}

void EventFollower::Start(std::function<void(const Status&)> on_error) {
  subscription_ = metadata_->SubscribeEvents([this] {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      poked_ = true;
    }
    wake_.notify_all();
  });
  thread_ = std::thread([this, on_error = std::move(on_error)] { Loop(on_error); });
}

void EventFollower::Loop(std::function<void(const Status&)> on_error) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    Result<size_t> polled = PollOnce();
    if (!polled.ok() && on_error) on_error(polled.status());
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_ || poked_; });
    poked_ = false;
  }
}

void EventFollower::Stop() {
  if (subscription_ != 0) metadata_->UnsubscribeEvents(subscription_);
  subscription_ = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int64_t> LatestEventSeq(store::MetadataStore& metadata) {
  return store::ReadValue(metadata, [](store::StoreReader& rows) { return LatestEventSeq(rows); });
}

Result<int64_t> LatestEventSeq(store::StoreReader& rows) {
  int64_t seq = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::EventRecord> events, rows.ListEvents(seq, kPageSize));
    if (events.empty()) return seq;
    seq = events.back().seq;
  }
}

bool ChangesEndpoints(const store::EventRecord& event) {
  return event.kind.rfind("model.", 0) == 0 || event.kind.rfind("endpoint.", 0) == 0;
}

}  // namespace grove::events
