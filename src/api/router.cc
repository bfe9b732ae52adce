#include "api/router.h"

#include <algorithm>
#include <set>

#include "api/request_target.h"

namespace grove::api {

namespace {

constexpr size_t kMaxHints = 5;
constexpr size_t kMaxHintPathLength = 512;  // Longer paths get no hints (bounded work).

// Splits "/a/b/" into {"a", "b", ""}; "/" gives {""}. Views point into `path`.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  parts.reserve(8);  // One allocation for the usual path, not one per doubling.
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string JoinMethods(const std::vector<std::string>& methods) {
  std::string out;
  for (const std::string& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace

Result<std::vector<Router::Segment>> Router::ParsePattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    return Status::InvalidArgument("route pattern '" + std::string(pattern) + "' must start with '/'");
  }
  std::vector<Segment> segments;
  std::set<std::string, std::less<>> names;
  std::vector<std::string_view> parts = SplitPath(pattern);
  if (parts.back().empty()) parts.pop_back();  // "/" and "/a/" mean "" and "/a".
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("route pattern '" + std::string(pattern) + "', segment " +
                                     std::to_string(i + 1) + ": " + why);
    };
    if (part.empty()) return bad("empty segment ('//')");
    Segment segment;
    if (part.front() == '{') {
      if (part.back() != '}' || part.size() < 3) return bad("a capture is '{name}' or '{name...}'");
      std::string_view name = part.substr(1, part.size() - 2);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        segment.rest = true;
        name.remove_suffix(3);
        if (i + 1 != parts.size()) return bad("a rest capture '{name...}' must be the last segment");
      }
      if (name.find_first_of("{}/.") != std::string_view::npos) return bad("bad capture name");
      if (!names.insert(std::string(name)).second) return bad("capture name used twice");
      segment.capture = true;
      segment.text = std::string(name);
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        return bad("a capture must be a whole segment");
      }
      segment.text = std::string(part);
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

Status Router::Add(std::string_view method, std::string_view pattern,
                   std::shared_ptr<Handler> handler, size_t body_limit) {
  if (method.empty()) return Status::InvalidArgument("route method must not be empty");
  if (!handler) return Status::InvalidArgument("route '" + std::string(pattern) + "' has no handler");
  ASSIGN_OR_RETURN(std::vector<Segment> segments, ParsePattern(pattern));
  for (const Rule& rule : rules_) {
    if (rule.method == method && rule.pattern == pattern) {
      return Status::AlreadyExists("route " + rule.method + " " + rule.pattern + " is already added");
    }
  }
  largest_body_limit_ = std::max(largest_body_limit_, body_limit);
  rules_.push_back(Rule{std::string(method), std::string(pattern), std::move(segments),
                        std::move(handler), body_limit});
  return Status::OK();
}

Status Router::Add(std::string_view method, std::string_view pattern, HandlerFunction function,
                   size_t body_limit) {
  return Add(method, pattern, std::make_shared<FunctionHandler>(std::move(function)), body_limit);
}

size_t Router::BodyLimit(std::string_view method, std::string_view path) const {
  if (path.empty()) path = "/";
  std::vector<std::string_view> parts = SplitPath(path);
  std::vector<std::pair<std::string, std::string_view>> captures;
  const Rule* rule = FindRule(method, parts, path, &captures);
  return rule == nullptr ? 0 : rule->body_limit;
}

size_t Router::LargestBodyLimit() const { return largest_body_limit_; }

bool Router::Matches(const Rule& rule, const std::vector<std::string_view>& parts,
                     std::string_view path,
                     std::vector<std::pair<std::string, std::string_view>>* captures) {
  captures->clear();
  const std::vector<Segment>& segments = rule.segments;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    if (i >= parts.size()) return false;
    if (segment.rest) {
      std::string_view rest = path.substr(static_cast<size_t>(parts[i].data() - path.data()));
      if (rest.empty()) return false;
      captures->emplace_back(segment.text, rest);
      return true;
    }
    if (segment.capture) {
      if (parts[i].empty()) return false;
      captures->emplace_back(segment.text, parts[i]);
    } else if (parts[i] != segment.text) {
      return false;
    }
  }
  if (parts.size() == segments.size()) return true;
  return parts.size() == segments.size() + 1 && parts.back().empty();  // Trailing '/'.
}

const Router::Rule* Router::FindRule(
    std::string_view method, const std::vector<std::string_view>& parts, std::string_view path,
    std::vector<std::pair<std::string, std::string_view>>* captures) const {
  for (const Rule& rule : rules_) {
    if (rule.method == method && Applies(rule, parts, path, captures)) return &rule;
  }
  if (method == "HEAD") return FindRule("GET", parts, path, captures);
  return nullptr;
}

bool Router::Applies(const Rule& rule, const std::vector<std::string_view>& parts, std::string_view path,
                     std::vector<std::pair<std::string, std::string_view>>* captures) const {
  if (!rule.segments.empty() && rule.segments[0].capture &&
      std::find(reserved_.begin(), reserved_.end(), parts[0]) != reserved_.end()) {
    return false;
  }
  return Matches(rule, parts, path, captures);
}

void Router::Reserve(std::string segment) { reserved_.push_back(std::move(segment)); }

void Router::AddForHeader(std::string name, std::shared_ptr<Handler> handler) {
  AddForRequest([name = std::move(name)](const HttpRequest& r) { return r.headers.Has(name); }, std::move(handler));
}

void Router::AddForRequest(std::function<bool(const HttpRequest&)> matches, std::shared_ptr<Handler> handler) {
  request_rules_.emplace_back(std::move(matches), std::move(handler));
}

HttpResponse Router::Route(HttpRequest* request) const {
  for (const auto& [matches, handler] : request_rules_) {
    if (matches(*request)) return handler->Handle(*request);
  }
  std::string_view path = request->path.empty() ? std::string_view("/") : request->path;
  std::vector<std::string_view> parts = SplitPath(path);
  std::vector<std::pair<std::string, std::string_view>> captures;
  const Rule* rule = FindRule(request->method, parts, path, &captures);
  if (rule == nullptr) {
    std::optional<HttpResponse> not_allowed = MethodNotAllowed(*request, parts);
    return not_allowed ? std::move(*not_allowed) : NotFound(*request, parts);
  }
  request->path_params.clear();
  for (const auto& [name, raw] : captures) {
    auto decoded = PercentDecode(raw, false);
    if (!decoded.ok()) {
      return StatusResponse(decoded.status().WithContext("path segment {" + name + "}"));
    }
    request->path_params.emplace(name, std::move(*decoded));
  }
  return rule->handler->Handle(*request);
}

std::optional<HttpResponse> Router::MethodNotAllowed(
    const HttpRequest& request, const std::vector<std::string_view>& parts) const {
  std::string_view path = request.path.empty() ? std::string_view("/") : request.path;
  std::vector<std::string> allowed;
  std::vector<std::pair<std::string, std::string_view>> captures;
  for (const Rule& rule : rules_) {
    if (!Applies(rule, parts, path, &captures)) continue;
    if (std::find(allowed.begin(), allowed.end(), rule.method) == allowed.end()) {
      allowed.push_back(rule.method);
    }
  }
  if (allowed.empty()) return std::nullopt;
  bool has_get = std::find(allowed.begin(), allowed.end(), "GET") != allowed.end();
  bool has_head = std::find(allowed.begin(), allowed.end(), "HEAD") != allowed.end();
  if (has_get && !has_head) allowed.push_back("HEAD");
  Json details = Json::object();
  details["allowed"] = allowed;
  HttpResponse response = ErrorResponse(
      405, "MethodNotAllowed",
      "method " + request.method.substr(0, 32) + " is not allowed for " +
          std::string(path.substr(0, 512)) + "; allowed: " + JoinMethods(allowed),
      details);
  response.headers.Set("Allow", JoinMethods(allowed));
  return response;
}

HttpResponse Router::NotFound(const HttpRequest& request,
                              const std::vector<std::string_view>& parts) const {
  std::string_view path = request.path.empty() ? std::string_view("/") : request.path;
  std::string_view trimmed = path.size() > 1 && path.back() == '/' ? path.substr(0, path.size() - 1) : path;
  std::vector<std::pair<size_t, const Rule*>> ranked;  // (edit distance, rule)
  if (path.size() <= kMaxHintPathLength) {
    for (const Rule& rule : rules_) {
      // The pattern with its captures filled from the request, so only the
      // literal parts count towards the distance.
      std::string filled;
      size_t captured_chars = 0;  // Request text copied into `filled`.
      size_t common = 0;          // Leading segments that agree.
      bool agreeing = true;
      for (size_t i = 0; i < rule.segments.size(); ++i) {
        const Segment& s = rule.segments[i];
        bool have = i < parts.size() && !parts[i].empty();
        filled += '/';
        if (s.capture && have) {
          std::string_view text =
              s.rest ? path.substr(static_cast<size_t>(parts[i].data() - path.data())) : parts[i];
          filled += text;
          captured_chars += text.size();
        } else {
          filled += s.capture ? "{" + s.text + (s.rest ? "...}" : "}") : s.text;
        }
        agreeing = agreeing && have && (s.capture || parts[i] == s.text);
        if (agreeing) ++common;
        if (s.rest) break;
      }
      if (filled.empty()) filled = "/";
      size_t distance = EditDistance(trimmed, filled);
      size_t request_segments = parts.size() - (parts.back().empty() ? 1 : 0);
      // Typos: a few edits, relative to the pattern's literal text only.
      bool close_text = distance <= std::max<size_t>(2, (filled.size() - captured_chars) / 4);
      bool shared_prefix = common >= 2 && common + 1 >= request_segments;
      if (close_text || shared_prefix) ranked.emplace_back(distance, &rule);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  Json similar = Json::array();
  for (size_t i = 0; i < ranked.size() && i < kMaxHints; ++i) {
    similar.push_back(ranked[i].second->method + " " + ranked[i].second->pattern);
  }
  std::string message = "no route for " + request.method.substr(0, 32) + " " +
                        std::string(path.substr(0, 512));
  if (!similar.empty()) message += "; did you mean " + similar[0].get<std::string>() + "?";
  Json details = Json::object();
  details["path"] = std::string(path.substr(0, 2048));
  details["similar"] = std::move(similar);
  return ErrorResponse(404, "NotFound", message, details);
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  for (const Rule& rule : rules_) out.push_back(rule.method + " " + rule.pattern);
  return out;
}

}  // namespace grove::api
