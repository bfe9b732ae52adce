#pragma once

// The HTTP server's insides that http_server.cc (HttpServer::Impl: accept,
// sweep, stop) and http_session.cc (Session: one connection) share. Private to
// the api subsystem: it includes Boost.Beast/Asio, so only those two files
// include it (see http_server.h).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/http_server.h"
#include "api/http_types.h"

namespace grove::api::http_internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using Clock = std::chrono::steady_clock;

// A single-writer counter: only its worker thread adds, anyone may read.
inline void Bump(std::atomic<uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

class Session;

// Lets other threads post work to one worker's io_context for as long as it
// runs; after Stop, posts are dropped.
class Mailbox {
 public:
  explicit Mailbox(asio::io_context* context) : context_(context) {}
  template <typename F>
  void Post(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (context_ != nullptr) asio::post(*context_, std::forward<F>(f));
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    context_ = nullptr;
  }

 private:
  std::mutex mutex_;
  asio::io_context* context_;  // Null once closed.
};

// One I/O thread. Everything but the counters is touched only on `thread`.
struct Worker {
  Worker()
      : context(1),
        sweeper(context),
        guard(asio::make_work_guard(context)),
        mailbox(std::make_shared<Mailbox>(&context)) {}

  // Declared before `context` so it outlives the handlers (holding sessions)
  // that the context destroys.
  std::unordered_set<Session*> sessions;
  asio::io_context context;
  // Sessions waiting for a deferred response, kept alive here; Close empties
  // it, and being declared after `context` it is gone before the context is.
  std::unordered_map<Session*, std::shared_ptr<Session>> parked;
  asio::steady_timer sweeper;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
  std::shared_ptr<Mailbox> mailbox;  // Completions of deferred responses come in here.
  Clock::time_point now = Clock::now();  // Coarse clock, refreshed by the sweeper.
  bool stopping = false;                 // Stop() reached this worker: close idle sessions.
  bool finished = false;                 // Stop() ended: stop the sweeper.
  std::atomic<uint64_t> accepted{0}, requests{0}, bad_requests{0}, handler_errors{0}, timeouts{0};
};

// What sessions need from the server, shared by all workers.
struct ServerCore {
  ServerCore(HttpServerOptions o, const Dispatcher& d) : options(std::move(o)), dispatcher(d) {}

  void SessionStarted() { open_sessions.fetch_add(1); }
  void SessionEnded() {
    if (open_sessions.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(mutex);
      sessions_gone.notify_all();
    }
  }

  const HttpServerOptions options;
  const Dispatcher& dispatcher;
  // Set by Stop() before anything else, read by every worker: responses from
  // then on carry "Connection: close".
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> open_sessions{0};
  std::mutex mutex;
  std::condition_variable sessions_gone;  // Signalled when open_sessions drops to 0.
};

// Serves one connection on its worker's thread, from Start until Close (its
// states and their deadlines: the top of http_session.cc). Registers itself in
// worker.sessions and with the server while it lives.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Worker& worker, ServerCore& server);
  ~Session();

  void Start();

  // The server is stopping: an idle connection closes now; a busy one closes
  // after its current response.
  void OnServerStop();

  // Closes the connection, or times out the request being read, when its
  // current state has lasted too long.
  void Sweep(Clock::time_point now);

  void Close();

 private:
  enum class State { kIdle, kReadingHeader, kReadingBody, kWriting, kStreaming, kDeferred, kDraining, kClosed };

  void SetState(State state);
  bool BodyTooSlow(Clock::time_point now) const;
  void TimeOut();

  // Reading a request (the header block, then the body).
  void WaitForRequest();
  void ReadHeader();
  void ReadHeaderBlock();
  void ParseHeader();
  void OnHeader();
  bool ApplyBodyLimit();
  size_t RouteBodyLimit();
  void ReadBody();
  void ReadBodySome();
  void OnReadError(ErrorCode ec);
  void RejectSlowRequest();
  void RejectMalformed(const std::string& what);
  void Reject(HttpResponse response);

  // Answering it: inline, or deferred.
  void HandleRequest();
  void Defer(std::shared_ptr<DeferredResponse> deferred, unsigned version, bool keep_alive, bool head);
  void WatchDeferredClient();
  void OnDeferredDone(HttpResponse response);
  void Unpark();
  HttpResponse Dispatch(HttpRequest& request);

  // Writing the response, streamed or whole; draining after bad input.
  template <typename Message>
  void SetHeader(const HttpResponse& response, unsigned version, Message& message);
  void WriteHead(const HttpResponse& response, unsigned version, std::optional<uint64_t> length, bool keep_alive,
                 std::string* out) const;
  static void AppendField(std::string* out, std::string_view name, std::string_view value);
  void Write(HttpResponse response, unsigned version, bool keep_alive, bool head, bool drain);
  void AfterWrite();
  void WriteStreamHeader(HttpResponse response, unsigned version);
  void WatchStreamClient();
  void PullStream();
  void EndStream();
  void WriteChunk(void (*then)(Session&));
  void Drain();
  void ReadAndDrop();

  tcp::socket socket_;
  Worker& worker_;
  ServerCore& server_;
  State state_ = State::kIdle;
  Clock::time_point state_since_ = worker_.now;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;  // The response being written: its status line and header fields,
  std::string body_;  // and its body.
  bool close_after_write_ = false;
  bool drain_after_write_ = false;
  size_t drained_budget_ = 0;
  size_t body_limit_ = 0;  // Of the request being read (its route's, once the header is in).
  size_t header_scanned_ = 0;  // Bytes of the header block HeaderBlockEnd has checked.
  // The body being read: bytes parsed after the header and when the last arrived.
  size_t body_received_ = 0;
  Clock::time_point body_progress_at_ = worker_.now;
  bool timed_out_ = false;  // Sweep cancelled the read (TimeOut): answer 408.
  // RouteBodyLimit's last answer, and the method and target it was for.
  std::string limit_method_, limit_target_;
  size_t route_body_limit_ = 0;
  std::unique_ptr<char[]> drain_buffer_;
  // A streamed response (WriteStreamHeader): its source, header and the chunk being written.
  std::shared_ptr<ResponseStream> stream_;
  http::response<http::empty_body> stream_header_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  asio::steady_timer stream_timer_{socket_.get_executor()};
  std::string chunk_;
  bool chunked_ = true;
  // The request whose answer is deferred (Defer).
  struct DeferredRequest {
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
  } deferred_request_;
};

}  // namespace grove::api::http_internal
