#pragma once

// GET /api/v1/executions/{id}/logs/stream?step=S: one step's log as
// server-sent events while it grows, resumable by byte offset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/rest/event_stream.h"
#include "app/home.h"

namespace grove::api::rest {

// A piece of log text as one server-sent event; `end_offset` is the byte
// offset after it, the id a client resumes from:
//   id: <end_offset>\nevent: log\ndata: {"text": "<text>"}\n\n
std::string FormatLogEvent(uint64_t end_offset, std::string_view text);
// The last event of a step's log: event: end\ndata: {"status": "<status>"}\n\n
std::string FormatLogEnd(std::string_view status);

// The log of one step run from byte `offset` on: each poll sends what the log
// gained, whole lines only while the step runs (the live log it appends to);
// once the run has ended it sends the rest of its stored log, then the end
// event with the run's status, and closes. A failed read is sent as a comment
// and retried at the next poll. At most `kMaxPiece` bytes per event.
class StepLogStream final : public PollingEventStream {
 public:
  static constexpr size_t kMaxPiece = 64 * 1024;

  StepLogStream(app::Home* home, std::string execution_id, std::string step, uint64_t offset,
                EventStreamOptions options);

 private:
  Polled Poll() override;

  app::Home* home_;
  const std::string execution_id_;
  const std::string step_;
  uint64_t offset_;
};

}  // namespace grove::api::rest
