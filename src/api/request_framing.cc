#include "api/request_framing.h"

#include <string>

#include "common/ascii.h"

namespace grove::api {

namespace {

Status Malformed(std::string what, size_t at) {
  return Status::InvalidArgument(what + " at byte " + std::to_string(at) + " of the header");
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<size_t> HeaderBlockEnd(std::string_view bytes, size_t from) {
  for (size_t i = from; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\n' && (i == 0 || bytes[i - 1] != '\r')) return Malformed("a bare LF (no CR before it)", i);
    if (c != '\r') continue;
    if (i + 1 >= bytes.size()) return size_t{0};  // The LF has not arrived yet.
    if (bytes[i + 1] != '\n') return Malformed("a CR without LF", i);
    if (i + 2 >= bytes.size()) return size_t{0};  // What follows decides: a field, a fold or the end.
    const char next = bytes[i + 2];
    if (next == ' ' || next == '\t') return Malformed("a header line folded onto the next (obs-fold)", i + 2);
    if (next != '\r') continue;
    if (i + 3 >= bytes.size()) return size_t{0};
    if (bytes[i + 3] != '\n') return Malformed("a CR without LF", i + 2);
    return i + 4;
  }
  return size_t{0};
}

Status CheckTransferEncoding(const std::vector<std::string_view>& values, unsigned version) {
  if (values.empty()) return Status::OK();
  std::string codings;
  size_t count = 0;
  bool only_chunked = true;
  for (std::string_view value : values) {
    size_t begin = 0;
    while (begin <= value.size()) {
      size_t comma = value.find(',', begin);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view token = TrimOws(value.substr(begin, comma - begin));
      begin = comma + 1;
      if (token.empty()) continue;
      codings += (count++ ? ", " : "") + std::string(token.substr(0, 40));
      only_chunked = only_chunked && AsciiLowercase(token) == "chunked";
    }
  }
  if (version < 11) {
    return Status::InvalidArgument("Transfer-Encoding is not allowed on an HTTP/1.0 request; send Content-Length");
  }
  if (count != 1 || !only_chunked) {
    return Status::InvalidArgument("Transfer-Encoding '" + codings +
                                   "' is not supported: a request body is framed by Content-Length or by "
                                   "'Transfer-Encoding: chunked' alone");
  }
  return Status::OK();
}

}  // namespace grove::api
