#pragma once

// GET /api/v1/events: the metadata store's event log as server-sent events
// (https://html.spec.whatwg.org/multipage/server-sent-events.html), one per
// event, resumable by seq.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "api/rest/rest_routes.h"
#include "store/metadata_store.h"

namespace grove::api::rest {

// An event as one server-sent event:
//   id: <seq>\nevent: <kind>\ndata: <app::ToJson(event), one line>\n\n
std::string FormatEvent(const store::EventRecord& event);

// The seq a stream resumes after: the Last-Event-ID header (what EventSource
// sends when it reconnects), else ?after= (for a first connection; "latest":
// the newest event now, so only what comes next), else 0 (the whole log).
// InvalidArgument naming the header or parameter when it is not a whole number.
Result<int64_t> ResumeAfter(const HttpRequest& request, store::MetadataStore& metadata);

// The stream of one client: every `options.poll` it reads the events after
// the last one sent and sends them (only those about `subject`, when not
// empty); a comment after `options.keep_alive` of silence. It opens with
// "retry:" (how long EventSource waits before it reconnects). A failed read
// is sent as a comment and retried at the next poll. Reads are single
// indexed queries, quick enough for an I/O thread.
class EventStream final : public ResponseStream {
 public:
  EventStream(store::MetadataStore* metadata, int64_t after, std::string subject, EventStreamOptions options);

  std::optional<std::string> Next() override;
  std::chrono::milliseconds retry_after() const override { return options_.poll; }

 private:
  using Clock = std::chrono::steady_clock;
  std::string ReadNew(Clock::time_point now);

  store::MetadataStore* metadata_;
  int64_t after_;
  const std::string subject_;
  const EventStreamOptions options_;
  bool started_ = false;
  Clock::time_point next_poll_{};
  Clock::time_point last_sent_{};
};

}  // namespace grove::api::rest
