#include "api/rest/event_stream.h"

#include <charconv>
#include <utility>

#include "app/record_json.h"
#include "events/event_follower.h"

namespace grove::api::rest {

namespace {

constexpr std::chrono::milliseconds kReconnectDelay{1000};

Result<int64_t> Seq(std::string_view text, std::string_view where) {
  int64_t seq = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || seq < 0) {
    return Status::InvalidArgument(std::string(where) + " '" + std::string(text) +
                                   "': expected an event seq (a whole number, the id of the last event seen)");
  }
  return seq;
}

}  // namespace

std::string FormatEvent(const store::EventRecord& event) {
  return "id: " + std::to_string(event.seq) + "\nevent: " + event.kind + "\ndata: " + app::ToJson(event).dump() +
         "\n\n";
}

Result<int64_t> ResumeAfter(const HttpRequest& request, store::MetadataStore& metadata) {
  if (auto last = request.headers.Get("Last-Event-ID"); last && !last->empty()) return Seq(*last, "Last-Event-ID");
  if (auto after = request.QueryParam("after"); after && *after == "latest") return events::LatestEventSeq(metadata);
  if (auto after = request.QueryParam("after")) return Seq(*after, "after");
  return int64_t{0};
}

EventStream::EventStream(store::MetadataStore* metadata, int64_t after, std::string subject,
                         EventStreamOptions options)
    : metadata_(metadata), after_(after), subject_(std::move(subject)), options_(options) {}

std::optional<std::string> EventStream::Next() {
  const Clock::time_point now = Clock::now();
  if (!started_) {
    started_ = true;
    last_sent_ = now;
    return "retry: " + std::to_string(kReconnectDelay.count()) + "\n\n";
  }
  if (now >= next_poll_) {
    next_poll_ = now + options_.poll;
    std::string text = ReadNew(now);
    if (!text.empty()) {
      last_sent_ = now;
      return text;
    }
  }
  if (now - last_sent_ >= options_.keep_alive) {
    last_sent_ = now;
    return std::string(": keep-alive\n\n");
  }
  return std::string();
}

std::string EventStream::ReadNew(Clock::time_point now) {
  Result<std::vector<store::EventRecord>> events = metadata_->ListEvents(after_, options_.batch);
  if (!events.ok()) return ": cannot read the event log (retrying): " + events.status().ToString() + "\n\n";
  std::string text;
  for (const store::EventRecord& event : *events) {
    after_ = event.seq;
    if (subject_.empty() || event.subject == subject_) text += FormatEvent(event);
  }
  // A full batch: more are waiting, read them at the next call.
  if (static_cast<int>(events->size()) >= options_.batch) next_poll_ = now;
  return text;
}

}  // namespace grove::api::rest
