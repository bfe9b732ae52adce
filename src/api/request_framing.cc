#include "api/request_framing.h"

#include <cstring>
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
  // A line at a time: memchr finds its LF, then any CR before it, instead of a
  // test per byte (this runs on every request).
  const char* data = bytes.data();
  const size_t size = bytes.size();
  for (size_t begin = from; begin < size;) {
    const auto* lf_at = static_cast<const char*>(std::memchr(data + begin, '\n', size - begin));
    const size_t lf = lf_at != nullptr ? static_cast<size_t>(lf_at - data) : size;
    // The only CR allowed is the one right before the LF.
    if (const auto* cr_at = static_cast<const char*>(std::memchr(data + begin, '\r', lf - begin))) {
      const auto cr = static_cast<size_t>(cr_at - data);
      if (cr + 1 < lf) return Malformed("a CR without LF", cr);
    }
    if (lf == size) return size_t{0};  // The line has not all arrived.
    if (lf == 0 || data[lf - 1] != '\r') return Malformed("a bare LF (no CR before it)", lf);
    if (lf + 1 >= size) return size_t{0};  // What follows decides: a field, a fold or the end.
    const char next = data[lf + 1];
    if (next == ' ' || next == '\t') return Malformed("a header line folded onto the next (obs-fold)", lf + 1);
    if (next == '\r') {
      if (lf + 2 >= size) return size_t{0};
      if (data[lf + 2] != '\n') return Malformed("a CR without LF", lf + 1);
      return lf + 3;
    }
    begin = lf + 1;
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
