#pragma once

// The one-method interface every HTTP endpoint implements (one class per
// endpoint, as in ClickHouse's src/Server), plus an adapter for lambdas.
#include <cstddef>
#include <functional>
#include <string_view>
#include <utility>

#include "api/http_types.h"

namespace grove::api {

// Handles one request and returns its response.
// Thread safety: called on the server's I/O threads, concurrently for
// different requests, so implementations must be thread-safe.
// Handlers run inline on an I/O thread: they must be quick (no long blocking
// I/O), as a slow handler delays every connection on that thread.
// Errors are responses (see StatusResponse); an exception that escapes is
// caught by the server and answered 500, but handlers should not rely on it.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
};

// What the server calls for every request: the Router, or a decorator around
// it such as AccessControl (access_control.h). Unlike a Handler it may amend
// the request before handlers see it (route captures, the caller's identity, a
// decoded body), so nothing is copied on the way.
// Thread safety: called concurrently from I/O threads.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  virtual HttpResponse Dispatch(HttpRequest* request) const = 0;
  // The largest body the request `method path` may carry, read before the
  // body is (0: the server's limit), and the largest of any request.
  virtual size_t BodyLimit(std::string_view method, std::string_view path) const { return 0; }
  virtual size_t LargestBodyLimit() const { return 0; }
};

using HandlerFunction = std::function<HttpResponse(const HttpRequest&)>;

// A Handler that calls a function: for small endpoints and tests.
class FunctionHandler final : public Handler {
 public:
  explicit FunctionHandler(HandlerFunction function) : function_(std::move(function)) {}
  HttpResponse Handle(const HttpRequest& request) override { return function_(request); }

 private:
  HandlerFunction function_;
};

}  // namespace grove::api
