#pragma once

// Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html):
// the polling stream every SSE route shares, and GET /api/v1/events, the
// metadata store's event log, one event per record, resumable by seq.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "api/rest/rest_routes.h"
#include "store/metadata_store.h"

namespace grove::api::rest {

// A server-sent event stream that polls its source: it opens with "retry:"
// (how long EventSource waits before it reconnects), calls Poll every
// `options.poll` and sends what it found, and sends a comment after
// `options.keep_alive` of silence. Subclasses say what a poll finds.
class PollingEventStream : public ResponseStream {
 public:
  explicit PollingEventStream(EventStreamOptions options) : options_(options) {}

  std::optional<std::string> Next() final;
  std::chrono::milliseconds retry_after() const final { return options_.poll; }

 protected:
  // What one poll found.
  struct Polled {
    std::string text;   // Whole events to send; may be empty.
    bool more = false;  // More is waiting: poll again at once rather than after `poll`.
    bool end = false;   // The stream ends after `text`.
  };
  // Reads the source. Must not block for long: it runs on an I/O thread.
  virtual Polled Poll() = 0;

  const EventStreamOptions& options() const { return options_; }

 private:
  using Clock = std::chrono::steady_clock;

  const EventStreamOptions options_;
  bool started_ = false;
  bool ended_ = false;
  Clock::time_point next_poll_{};
  Clock::time_point last_sent_{};
};

// The 200 response of a server-sent event route: text/event-stream over `stream`.
HttpResponse EventStreamResponse(std::shared_ptr<ResponseStream> stream);

// A resume point sent as `where` (the Last-Event-ID header or a query
// parameter): a whole number of 0 or more. InvalidArgument naming `where` and
// saying it should be `what` (e.g. "an event seq (..)") otherwise.
Result<int64_t> ResumePoint(std::string_view text, std::string_view where, std::string_view what);

// An event as one server-sent event:
//   id: <seq>\nevent: <kind>\ndata: <app::ToJson(event), one line>\n\n
std::string FormatEvent(const store::EventRecord& event);

// The seq a stream resumes after: the Last-Event-ID header (what EventSource
// sends when it reconnects), else ?after= (for a first connection; "latest":
// the newest event now, so only what comes next), else 0 (the whole log).
// InvalidArgument naming the header or parameter when it is not a whole number.
Result<int64_t> ResumeAfter(const HttpRequest& request, store::MetadataStore& metadata);

// The event log stream of one client: every poll it reads the events after
// the last one sent and sends them (only those about `subject`, when not
// empty). A failed read is sent as a comment and retried at the next poll.
// Reads are single indexed queries, quick enough for an I/O thread.
class EventStream final : public PollingEventStream {
 public:
  EventStream(store::MetadataStore* metadata, int64_t after, std::string subject, EventStreamOptions options);

 private:
  Polled Poll() override;

  store::MetadataStore* metadata_;
  int64_t after_;
  const std::string subject_;
};

}  // namespace grove::api::rest
