#include "api/request_target.h"

namespace grove::api {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// Strips "scheme://authority" from an absolute-form target; the rest is the
// origin form, "/" when the authority is all there is.
std::string_view StripAbsoluteForm(std::string_view target) {
  size_t scheme_end = target.find("://");
  std::string_view rest = target.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?#");
  if (path_start == std::string_view::npos) return "/";
  return rest.substr(path_start);
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int lo = hi >= 0 ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("bad percent-escape at offset " + std::to_string(i) +
                                       ": '%' must be followed by two hex digits");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Status ParseRequestTarget(std::string_view target, HttpRequest* request) {
  request->target = std::string(target);
  std::string_view rest = target;
  if (StartsWithIgnoreCase(rest, "http://") || StartsWithIgnoreCase(rest, "https://")) {
    rest = StripAbsoluteForm(rest);
  }
  if (rest.empty() || (rest.front() != '/' && rest.front() != '?')) {
    return Status::InvalidArgument("request target '" + std::string(target.substr(0, 200)) +
                                   "' must start with '/'");
  }
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  request->path = path.empty() ? std::string("/") : std::string(path);
  request->query.clear();
  if (question == std::string_view::npos) return Status::OK();

  std::string_view query = rest.substr(question + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    if (!name.ok()) return name.status().WithContext("query parameter name");
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto value = PercentDecode(raw_value, true);
    if (!value.ok()) return value.status().WithContext("query parameter '" + *name + "'");
    request->query.emplace_back(std::move(*name), std::move(*value));
  }
  return Status::OK();
}

}  // namespace grove::api
