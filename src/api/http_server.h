#pragma once

// Grove's HTTP/1.1 server. Asio stays inside http_server.cc and
// http_session.cc, through the private http_worker.h, and Boost.Beast inside
// http_session.cc (a translation unit that includes Beast costs ~20 s to
// compile); this header speaks only Grove types.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/router.h"
#include "common/status.h"

namespace grove::api {

struct HttpServerOptions {
  // Address to listen on: an IP literal or a name resolved once at Start.
  // Default: "127.0.0.1".
  std::string host = "127.0.0.1";
  // Default: 8080. 0 picks a free port; HttpServer::port() reports it.
  uint16_t port = 8080;
  // I/O threads, each running its own io_context; connections are spread over
  // them round-robin. Handlers run on these threads. Default 0: one per core.
  int io_threads = 0;
  // Largest request body accepted; larger ones get 413 and the connection is
  // closed. A route may set its own (Router::Add's body_limit, e.g. S3
  // uploads). Default: 6 MiB (SageMaker's invocation limit).
  size_t body_limit = 6 * 1024 * 1024;
  // Largest request line plus headers; larger ones get 431. Default: 16 KiB.
  size_t header_limit = 16 * 1024;
  // A connection (new, or keep-alive between requests) that sends no byte of
  // a request for this long is closed, without an answer. Default: 60 s.
  std::chrono::milliseconds idle_timeout{60'000};
  // From a request's first byte, its request line and headers must be in
  // within this long; else 408 and the connection is closed (slowloris).
  // Default: 20 s.
  std::chrono::milliseconds header_timeout{20'000};
  // A request body may pause at most this long between bytes, and must
  // arrive within this long plus one second per body_min_rate bytes received;
  // else 408 and the connection is closed. Default: 30 s.
  std::chrono::milliseconds body_timeout{30'000};
  // The body rate (bytes per second) that earns more time than
  // body_timeout: a 5 GiB upload at 10 MiB/s is never cut off, a body sent a
  // byte a second is. Default: 8 KiB/s.
  size_t body_min_rate = 8 * 1024;
  // A response the client does not read within this long closes the
  // connection. Default: 30 s.
  std::chrono::milliseconds write_timeout{30'000};
  // How long Stop() waits for in-flight requests before closing connections.
  // Default: 10 s.
  std::chrono::milliseconds stop_timeout{10'000};
  // The Server header. Default: "grove".
  std::string server_name = "grove";
};

// Counters since Start, summed over I/O threads (each read is a snapshot).
struct HttpServerStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_open = 0;
  uint64_t requests = 0;        // Requests answered by the router.
  uint64_t bad_requests = 0;    // Malformed, too large, or badly encoded: answered 4xx by the server.
  uint64_t timeouts = 0;        // Requests that arrived too slowly: answered 408 and closed.
  uint64_t handler_errors = 0;  // Handlers that threw (answered 500).
};

// Accepts connections and answers each request with dispatcher.Dispatch()
// (a Router, or a decorator around one). HTTP/1.1
// with keep-alive and pipelining, TCP_NODELAY, HEAD without body, and bodies
// streamed chunked from a ResponseStream (http_types.h) without blocking an
// I/O thread between pieces. It never
// lets an exception or malformed input end the process: malformed HTTP gets
// 400 and the connection is closed; a handler that throws gets 500.
//
// Thread safety: Start, Stop and the destructor must be called from one
// thread (not an I/O thread); port() and stats() from any thread once Start
// has returned.
class HttpServer {
 public:
  // REQUIRES: `dispatcher` outlives this server and is not modified while it runs.
  HttpServer(HttpServerOptions options, const Dispatcher& dispatcher);
  ~HttpServer();  // Stop()s.

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads; returns once connections are
  // being accepted. IOError names host:port when it cannot listen (e.g. the
  // port is in use); FailedPrecondition if already started.
  Status Start();

  // Graceful stop: stops accepting, closes idle keep-alive connections, lets
  // requests already being read or handled finish (their responses carry
  // "Connection: close"), ends streamed bodies at once (with their last
  // chunk), waits up to options.stop_timeout for them, then closes what is
  // left and joins the I/O threads. Idempotent; a stopped
  // server cannot be restarted.
  void Stop();

  // The bound port after a successful Start (the chosen one when options.port
  // is 0); 0 before.
  uint16_t port() const;

  HttpServerStats stats() const;

 private:
  struct Impl;  // Asio and Beast live behind this, in http_server.cc and http_session.cc.
  std::unique_ptr<Impl> impl_;
};

}  // namespace grove::api
