#include "api/rest/log_stream.h"

#include <utility>

#include "app/executions.h"

namespace grove::api::rest {

std::string FormatLogEvent(uint64_t end_offset, std::string_view text) {
  // Logs are bytes: a piece may end inside a UTF-8 sequence, or a script may write Latin-1.
  std::string data = Json{{"text", std::string(text)}}.dump(-1, ' ', false, Json::error_handler_t::replace);
  return "id: " + std::to_string(end_offset) + "\nevent: log\ndata: " + data + "\n\n";
}

std::string FormatLogEnd(std::string_view status) {
  return "event: end\ndata: " + Json{{"status", std::string(status)}}.dump() + "\n\n";
}

StepLogStream::StepLogStream(app::Home* home, std::string execution_id, std::string step, uint64_t offset,
                             EventStreamOptions options)
    : PollingEventStream(options),
      home_(home),
      execution_id_(std::move(execution_id)),
      step_(std::move(step)),
      offset_(offset) {}

StepLogStream::Polled StepLogStream::Poll() {
  Result<app::StepLogPiece> piece = app::Executions(*home_).LogFrom(execution_id_, step_, offset_, kMaxPiece);
  if (!piece.ok()) return {": cannot read the log (retrying): " + piece.status().ToString() + "\n\n"};
  Polled polled;
  polled.more = piece->text.size() == kMaxPiece;
  std::string_view text = piece->text;
  if (piece->running) {  // Whole lines only: the step may be mid-line.
    size_t cut = text.rfind('\n');
    if (cut != std::string_view::npos) {
      text = text.substr(0, cut + 1);
    } else if (!polled.more) {
      text = {};  // A partial line waits for its end, unless it fills a whole piece by itself.
    }
  }
  if (!text.empty()) {
    offset_ += text.size();
    polled.text = FormatLogEvent(offset_, text);
  }
  if (!piece->running && !polled.more) {
    polled.text += FormatLogEnd(piece->run.status);
    polled.end = true;
  }
  return polled;
}

}  // namespace grove::api::rest
