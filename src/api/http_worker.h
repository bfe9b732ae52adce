#pragma once

// The HTTP server's insides that http_server.cc (HttpServer::Impl: accept,
// sweep, stop) and http_session.cc (Session: one connection) share. Private to
// the api subsystem: it includes Asio, so only those two files include it (see
// http_server.h); Boost.Beast stays inside http_session.cc.
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

#include "api/http_server.h"
#include "api/http_types.h"

namespace grove::api::http_internal {

namespace asio = boost::asio;
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

// A connection's Session (http_session.cc) as the rest of the server drives
// it, so that only http_session.cc includes Boost.Beast.
void StartSession(tcp::socket socket, Worker& worker, ServerCore& server);
// The server is stopping: an idle connection closes now; a busy one closes
// after its current response.
void StopSession(Session& session);
// Closes the connection, or times out the request being read, when its
// current state has lasted too long.
void SweepSession(Session& session, Clock::time_point now);
void CloseSession(Session& session);

}  // namespace grove::api::http_internal
