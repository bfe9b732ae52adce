#pragma once

// A small blocking HTTP/1.1 client for the CLI's remote mode (GROVE_URL).
// Boost.Beast stays inside http_client.cc, as it stays inside the server's.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"

namespace grove::cli {

struct HttpReply {
  int status = 0;
  std::string body;
};

// One server-sent event.
struct ServerEvent {
  std::string id;
  std::string kind;
  std::string data;
};

// Talks to the server at a base URL (http://host:port; https is not
// supported), sending `Authorization: Bearer <secret>` with every request.
// Not thread-safe.
class HttpClient {
 public:
  // InvalidArgument naming GROVE_URL when `base_url` is not http://host[:port].
  static Result<std::unique_ptr<HttpClient>> Open(const std::string& base_url, std::string secret);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request on a connection of its own, `target` being "/api/v1/...".
  // IOError naming the server when it cannot be reached or does not answer in time.
  Result<HttpReply> Call(const std::string& method, const std::string& target, const std::string& body = "");

  // Opens a server-sent-event stream at `target`; a non-200 answer is its error
  // (see StatusOfReply). Then NextEvent blocks until the next event arrives
  // (comments are skipped); IOError when the stream ends or fails.
  Status OpenEvents(const std::string& target);
  Result<ServerEvent> NextEvent();
  // As NextEvent, but nullopt once `at_most` has passed without one; the
  // stream is closed then (OpenEvents again to go on).
  Result<std::optional<ServerEvent>> NextEventWithin(std::chrono::milliseconds at_most);

  const std::string& base_url() const { return base_url_; }

 private:
  struct Connection;
  // NextEvent's loop; nullopt when `deadline` (if any) passed first.
  Result<std::optional<ServerEvent>> ReadEvent(std::optional<std::chrono::steady_clock::time_point> deadline);
  HttpClient(std::string base_url, std::string host, std::string port, std::string secret);

  std::string base_url_, host_, port_, secret_;
  std::unique_ptr<Connection> events_;  // The open event stream, if any.
};

// The Status of a server's error answer {"error": {"code", "message"}}: the
// code by name (Grove's codes), else by HTTP status (4xx InvalidArgument,
// 5xx Internal), with the server's message.
Status StatusOfReply(const HttpReply& reply);

}  // namespace grove::cli
