#pragma once

// Ordered routing rules: method + path pattern -> Handler. Whoever wires the
// server builds one Router in one function; the server calls Route for every
// request.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/handler.h"
#include "api/http_types.h"
#include "common/status.h"

namespace grove::api {

// Patterns are '/'-separated segments; a segment is literal text, a capture
// "{name}" that matches one non-empty segment, or, as the last segment only, a
// rest capture "{name...}" that matches one or more segments with their '/'
// (e.g. an S3 key: "/s3/{bucket}/{key...}"). Captures reach the handler
// percent-decoded in HttpRequest::path_params. A trailing '/' on the request
// path is ignored unless a rest capture takes it.
//
// Thread safety: Add is not thread-safe; once built, Route may be called from
// any number of threads at once.
class Router : public Dispatcher {
 public:
  // Adds a rule after the existing ones; the first matching rule wins.
  // `method` is an HTTP method ("GET", "POST", ...). A GET rule also answers
  // HEAD when no HEAD rule matches the path.
  // InvalidArgument for a malformed pattern (no leading '/', an unclosed or
  // empty capture, a capture name used twice, a rest capture not last);
  // AlreadyExists when the same method and pattern were added before.
  // `body_limit`, when not 0, is the largest request body this rule accepts
  // instead of the server's (HttpServerOptions::body_limit), e.g. for uploads.
  Status Add(std::string_view method, std::string_view pattern, std::shared_ptr<Handler> handler,
             size_t body_limit = 0);
  Status Add(std::string_view method, std::string_view pattern, HandlerFunction function, size_t body_limit = 0);

  // Sends every request that carries header `name` to `handler`, before any
  // path rule: SageMaker's control plane names its operation in X-Amz-Target
  // on POST /. Header rules are tried in the order added.
  void AddForHeader(std::string name, std::shared_ptr<Handler> handler);
  // Sends every request `matches` accepts to `handler`, before any path rule,
  // in the order added with the header rules (e.g. a browser's GET /, which
  // S3's ListBuckets would otherwise take).
  void AddForRequest(std::function<bool(const HttpRequest&)> matches, std::shared_ptr<Handler> handler);

  // Keeps paths whose first segment is `segment` (e.g. "api") to rules that
  // spell it: a capture there (S3's "/{bucket}/...") does not take them, so
  // an unknown /api/... path gets the 404 or 405 above, not another protocol's.
  void Reserve(std::string segment);

  // Finds the rule for request->method and request->path, fills
  // request->path_params and returns the handler's response. Without a rule:
  // 404 {"error": {"code": "NotFound", "message", "path", "similar": [...]}}
  // when no pattern matches the path ("similar" lists up to 5 close routes as
  // "METHOD pattern"); 405 with an Allow header when patterns match but none
  // for this method; 400 when a capture is badly percent-encoded.
  // Exceptions from handlers propagate (the server catches them).
  HttpResponse Route(HttpRequest* request) const;
  HttpResponse Dispatch(HttpRequest* request) const override { return Route(request); }

  // The body limit of the rule that would serve `method` on `path` (the raw
  // request path), or 0 when that rule sets none or no rule matches.
  size_t BodyLimit(std::string_view method, std::string_view path) const override;
  // The largest body limit any rule sets (0 when none does).
  size_t LargestBodyLimit() const override;

  // Every rule as "METHOD pattern", in order.
  std::vector<std::string> Describe() const;

 private:
  struct Segment {
    std::string text;      // Literal text or capture name.
    bool capture = false;
    bool rest = false;     // "{name...}": the rest of the path.
  };
  struct Rule {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    std::shared_ptr<Handler> handler;
    size_t body_limit = 0;
  };

  static Result<std::vector<Segment>> ParsePattern(std::string_view pattern);
  // True when `rule` matches the path split into raw `parts`; fills `captures`
  // with raw (still encoded) text.
  static bool Matches(const Rule& rule, const std::vector<std::string_view>& parts,
                      std::string_view path,
                      std::vector<std::pair<std::string, std::string_view>>* captures);
  // Matches, unless the rule would capture a reserved first segment.
  bool Applies(const Rule& rule, const std::vector<std::string_view>& parts, std::string_view path,
               std::vector<std::pair<std::string, std::string_view>>* captures) const;
  const Rule* FindRule(std::string_view method, const std::vector<std::string_view>& parts,
                       std::string_view path,
                       std::vector<std::pair<std::string, std::string_view>>* captures) const;
  HttpResponse NotFound(const HttpRequest& request,
                        const std::vector<std::string_view>& parts) const;
  // 405 when rules for other methods match the path; nullopt when none does.
  std::optional<HttpResponse> MethodNotAllowed(const HttpRequest& request,
                                               const std::vector<std::string_view>& parts) const;

  std::vector<Rule> rules_;
  size_t largest_body_limit_ = 0;  // Of rules_, asked for every request.
  std::vector<std::pair<std::function<bool(const HttpRequest&)>, std::shared_ptr<Handler>>> request_rules_;
  std::vector<std::string> reserved_;  // First segments only their literal rules take.
};

}  // namespace grove::api
