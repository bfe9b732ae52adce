#pragma once

// Plain HTTP request and response values, free of Boost.Beast, so handlers and
// their tests compile quickly and never see the network library. The server
// (http_session.cc) converts between these and Beast's messages.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/role.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::api {

// True when `a` and `b`, of the same size, are equal ignoring ASCII case.
bool EqualsIgnoreCaseSameSize(std::string_view a, std::string_view b);
// True when `a` and `b` are equal ignoring ASCII case (header names, methods).
// Inline: header lookups mostly compare names of different sizes.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && EqualsIgnoreCaseSameSize(a, b);
}

// Header text that cannot split or end a header block: no CR, LF or NUL.
// Responses send only such fields (a handler's others are dropped).
bool SafeHeaderText(std::string_view text);
// A header name that is such text, not empty, without ':' or a space.
bool SafeHeaderName(std::string_view name);

// An ordered list of header fields with case-insensitive lookup. Names keep
// the spelling they were added with; repeated names are allowed (Add).
class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping any earlier field of the same name.
  void Add(std::string name, std::string value);
  // Makes room for `count` fields.
  void Reserve(size_t count) { fields_.reserve(count); }
  // Replaces every field named `name` (any case) with one field.
  void Set(std::string name, std::string value);
  // Removes every field named `name` (any case).
  void Remove(std::string_view name);

  // The value of the first field named `name` (any case), if there is one.
  // The view is valid until the headers are next modified.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

// A request as handlers see it. The server fills everything but path_params,
// which the Router fills from the matched rule's `{name}` captures.
struct HttpRequest {
  std::string method;  // As sent, e.g. "GET", "POST" (methods are case-sensitive).
  std::string target;  // The raw request-target, e.g. "/a%20b?x=1".
  std::string path;    // The target's path, still percent-encoded: "/a%20b".
  // Query parameters in order, percent-decoded, '+' read as a space.
  std::vector<std::pair<std::string, std::string>> query;
  HttpHeaders headers;
  std::string body;
  // Percent-decoded captures of the matched route, e.g. {"name": "churn-prod"}.
  std::map<std::string, std::string, std::less<>> path_params;
  // The caller, set by AccessControl before handlers run: the access key's
  // name, and its role (approvals and promotions record the identity). Under
  // `--auth off`, "anonymous" as admin; empty when no AccessControl ran.
  std::string identity;
  app::Role role = app::Role::kViewer;

  // The first query parameter named `name` (exact case), if any.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
  // The capture `name` of the matched route; empty when there is none.
  std::string_view PathParam(std::string_view name) const;
};

// A response body made a piece at a time, for bodies that have no end or are
// too large to hold (server-sent events, downloads). The server sends the
// headers, then pulls pieces with Next on the connection's I/O thread and sends
// each as a chunk (chunked transfer encoding); the connection closes after the
// last one. The stream is destroyed when the body ends, the client goes away or
// the server stops, whichever comes first.
// Thread safety: called from one I/O thread at a time.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The next piece of the body. It must not block: an empty string means
  // nothing yet, and the server asks again after retry_after(); nullopt ends
  // the body. An exception also ends it (the client sees the body stop).
  virtual std::optional<std::string> Next() = 0;
  virtual std::chrono::milliseconds retry_after() const { return std::chrono::milliseconds(100); }
};

class DeferredResponse;

// A response from a handler. The server adds Content-Length, Connection and
// Server; for HEAD requests it sends the headers and Content-Length only.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";  // Empty: no Content-Type header.
  HttpHeaders headers;  // Extra headers (e.g. Allow, Location, X-Amzn-Invoked-Production-Variant).
  std::string body;
  // For a HEAD request: the Content-Length to announce instead of body.size(),
  // so a handler can state the size of what GET would send without reading it
  // (S3's HeadObject). Ignored for other methods.
  std::optional<uint64_t> head_content_length;
  // When set, the body is this stream's pieces instead of `body` (which is
  // ignored), sent chunked without a Content-Length; HEAD gets the headers only.
  std::shared_ptr<ResponseStream> stream;
  // When set, the answer comes later through this (every other field is
  // ignored): see DeferredResponse.
  std::shared_ptr<DeferredResponse> deferred;
};

// A response a handler gives later, from any thread: the handler returns at
// once with HttpResponse::deferred set and keeps a reference; Complete sends
// the answer. Meanwhile the connection waits without holding its I/O thread,
// which serves other connections. If the client goes away or the server
// stops first, the answer is dropped (Complete is still safe to call: the
// server keeps no pointer the completion could outlive). A handler must
// complete every deferred response it returns, or its connection waits until
// the client or the server's stop closes it.
// Thread-safe.
class DeferredResponse {
 public:
  // Sends `response` (its own `deferred` is ignored). Only the first call counts.
  void Complete(HttpResponse response);

  // For the server: `deliver` receives the response once, on the thread
  // that completes it, or at once on this one if it is already complete.
  // `deliver` must not block.
  void OnComplete(std::function<void(HttpResponse)> deliver);

 private:
  std::mutex mutex_;
  bool completed_ = false;
  std::optional<HttpResponse> response_;        // Completed before the server asked.
  std::function<void(HttpResponse)> deliver_;  // The server asked first.
};

// A JSON body with the given status; `value` is dumped compactly.
HttpResponse JsonResponse(int status, const Json& value);
// A body of any type, e.g. TextResponse(200, csv, "text/csv").
HttpResponse TextResponse(int status, std::string body,
                          std::string content_type = "text/plain; charset=utf-8");

// The JSON error body every Grove error uses:
//   {"error": {"code": "<code>", "message": "<message>", ...details}}
// `details`, when an object, adds its members after "message" (e.g. "path", "similar").
Json ErrorBody(std::string_view code, std::string_view message, const Json& details = Json());
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                           const Json& details = Json());

// The one mapping from Grove status codes to HTTP status codes:
// InvalidArgument 400, NotFound 404, AlreadyExists 409, FailedPrecondition 409,
// Cancelled 503 (the work was stopped, e.g. by shutdown; retrying may succeed),
// OK 200, anything else 500.
int HttpStatusFor(StatusCode code);
// An error response for a non-OK status: HttpStatusFor(code) with
// {"error": {"code": StatusCodeName(code), "message": status.message()}}.
// REQUIRES: !status.ok() (an OK status gives 200 with an empty JSON object).
HttpResponse StatusResponse(const Status& status);

}  // namespace grove::api
