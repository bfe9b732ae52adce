#include "api/rest/event_stream.h"

#include <charconv>
#include <utility>

#include "app/record_json.h"
#include "events/event_follower.h"

namespace grove::api::rest {

namespace {

constexpr std::chrono::milliseconds kReconnectDelay{1000};
constexpr std::string_view kEventSeq = "an event seq (a whole number, the id of the last event seen)";

}  // namespace

std::optional<std::string> PollingEventStream::Next() {
  const Clock::time_point now = Clock::now();
  if (!started_) {
    started_ = true;
    last_sent_ = now;
    return "retry: " + std::to_string(kReconnectDelay.count()) + "\n\n";
  }
  if (ended_) return std::nullopt;
  if (now >= next_poll_) {
    Polled polled = Poll();
    next_poll_ = polled.more ? now : now + options_.poll;
    ended_ = polled.end;
    if (!polled.text.empty()) {
      last_sent_ = now;
      return std::move(polled.text);
    }
    if (ended_) return std::nullopt;
  }
  if (now - last_sent_ >= options_.keep_alive) {
    last_sent_ = now;
    return std::string(": keep-alive\n\n");
  }
  return std::string();
}

HttpResponse EventStreamResponse(std::shared_ptr<ResponseStream> stream) {
  HttpResponse response = TextResponse(200, "", "text/event-stream; charset=utf-8");
  response.headers.Set("X-Accel-Buffering", "no");  // Proxies must pass events on at once.
  response.stream = std::move(stream);
  return response;
}

Result<int64_t> ResumePoint(std::string_view text, std::string_view where, std::string_view what) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) {
    return Status::InvalidArgument(std::string(where) + " '" + std::string(text) + "': expected " +
                                   std::string(what));
  }
  return value;
}

std::string FormatEvent(const store::EventRecord& event) {
  return "id: " + std::to_string(event.seq) + "\nevent: " + event.kind + "\ndata: " + app::ToJson(event).dump() +
         "\n\n";
}

Result<int64_t> ResumeAfter(const HttpRequest& request, store::MetadataStore& metadata) {
  if (auto last = request.headers.Get("Last-Event-ID"); last && !last->empty()) {
    return ResumePoint(*last, "Last-Event-ID", kEventSeq);
  }
  if (auto after = request.QueryParam("after"); after && *after == "latest") return events::LatestEventSeq(metadata);
  if (auto after = request.QueryParam("after")) return ResumePoint(*after, "after", kEventSeq);
  return int64_t{0};
}

EventStream::EventStream(store::MetadataStore* metadata, int64_t after, std::string subject,
                         EventStreamOptions options)
    : PollingEventStream(options), metadata_(metadata), after_(after), subject_(std::move(subject)) {}

EventStream::Polled EventStream::Poll() {
  Result<std::vector<store::EventRecord>> events = metadata_->ListEvents(after_, options().batch);
  if (!events.ok()) return {": cannot read the event log (retrying): " + events.status().ToString() + "\n\n"};
  Polled polled;
  for (const store::EventRecord& event : *events) {
    after_ = event.seq;
    if (subject_.empty() || event.subject == subject_) polled.text += FormatEvent(event);
  }
  // A full batch: more are waiting, read them at the next call.
  polled.more = static_cast<int>(events->size()) >= options().batch;
  return polled;
}

}  // namespace grove::api::rest
