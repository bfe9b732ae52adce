// HttpServer: the acceptor, the I/O threads and Stop, on Asio (http_worker.h);
// a connection's Session, the one user of Boost.Beast, is in http_session.cc.
//
// Layout: each I/O thread is a Worker with its own io_context, its own
// sessions and a sweeper timer that enforces timeouts, so a connection's state
// is only ever touched by one thread and needs no locks. One acceptor (on
// worker 0) hands connections to workers round-robin.
#include "api/http_server.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/http_worker.h"

namespace grove::api {

using namespace http_internal;

namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// Runs a worker's io_context until it has no more work. Handlers do not
// throw (see Session::Dispatch), but should one, the thread keeps serving.
void RunWorker(Worker& worker) {
  while (true) {
    try {
      worker.context.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "grove http: I/O thread caught: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "grove http: I/O thread caught an unknown exception\n");
    }
  }
}

std::chrono::milliseconds SweepPeriod(const HttpServerOptions& options) {
  auto period = std::min({std::chrono::milliseconds(1000), options.idle_timeout / 2, options.header_timeout / 2,
                          options.body_timeout / 2, options.write_timeout / 2});
  return std::max(period, std::chrono::milliseconds(10));
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions options, const Dispatcher& dispatcher) : core(std::move(options), dispatcher) {}
  ~Impl() { Stop(); }

  Status Start();
  void Stop();
  void Accept();
  void Sweep(Worker& worker);

  ServerCore core;
  const HttpServerOptions& options = core.options;
  std::vector<std::unique_ptr<Worker>> workers;  // Before acceptor: destroyed after it.
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;
  size_t next_worker = 0;  // Acceptor thread only.
  std::atomic<uint16_t> bound_port{0};
  bool started = false;
  bool stopped = false;
};

Status HttpServer::Impl::Start() {
  if (started) return Status::FailedPrecondition("HTTP server already started");
  const std::string where = options.host + ":" + std::to_string(options.port);
  int threads = options.io_threads > 0 ? options.io_threads
                                       : static_cast<int>(std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> new_workers;
  for (int i = 0; i < std::max(threads, 1); ++i) new_workers.push_back(std::make_unique<Worker>());

  ErrorCode ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    tcp::resolver resolver(new_workers[0]->context);
    auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) {
      return Status::IOError("cannot resolve HTTP listen address " + where + ": " + ec.message());
    }
    endpoint = results.begin()->endpoint();
  }
  tcp::acceptor new_acceptor(new_workers[0]->context);
  new_acceptor.open(endpoint.protocol(), ec);
  if (!ec) new_acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) new_acceptor.bind(endpoint, ec);
  if (!ec) new_acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) bound_port = new_acceptor.local_endpoint(ec).port();
  if (ec) {
    return Status::IOError("cannot listen on " + where + ": " + ec.message() +
                           " (is another server using the port? choose another with --listen)");
  }

  started = true;
  workers = std::move(new_workers);
  acceptor.emplace(std::move(new_acceptor));
  accept_retry.emplace(workers[0]->context);
  Accept();
  for (auto& worker : workers) {
    Sweep(*worker);
    Worker* w = worker.get();
    w->thread = std::thread([w] { RunWorker(*w); });
  }
  return Status::OK();
}

// Accepts one connection into the next worker's context, then the next.
void HttpServer::Impl::Accept() {
  Worker& target = *workers[next_worker++ % workers.size()];
  acceptor->async_accept(target.context, [this, &target](ErrorCode ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {  // E.g. out of file descriptors: back off instead of spinning.
      accept_retry->expires_after(kAcceptRetryDelay);
      accept_retry->async_wait([this](ErrorCode wait_ec) {
        if (!wait_ec && acceptor->is_open()) Accept();
      });
      return;
    }
    ErrorCode ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    Bump(target.accepted);
    asio::post(target.context, [this, &target, socket = std::move(socket)]() mutable {
      StartSession(std::move(socket), target, core);
    });
    Accept();
  });
}

void HttpServer::Impl::Sweep(Worker& worker) {
  worker.sweeper.expires_after(SweepPeriod(options));
  worker.sweeper.async_wait([this, &worker](ErrorCode ec) {
    if (ec || worker.finished) return;
    worker.now = Clock::now();
    for (Session* session : worker.sessions) SweepSession(*session, worker.now);
    Sweep(worker);
  });
}

void HttpServer::Impl::Stop() {
  if (!started || stopped) return;
  stopped = true;
  core.stopping = true;
  asio::post(workers[0]->context, [this] {
    ErrorCode ignored;
    acceptor->close(ignored);
    accept_retry->cancel();
  });
  for (auto& worker : workers) {
    Worker* w = worker.get();
    asio::post(w->context, [w] {
      w->stopping = true;
      std::vector<Session*> sessions(w->sessions.begin(), w->sessions.end());
      for (Session* session : sessions) StopSession(*session);
    });
  }
  {
    std::unique_lock<std::mutex> lock(core.mutex);
    core.sessions_gone.wait_for(lock, options.stop_timeout,
                                [this] { return core.open_sessions.load() == 0; });
  }
  for (auto& worker : workers) {
    Worker* w = worker.get();
    asio::post(w->context, [w] {
      std::vector<Session*> sessions(w->sessions.begin(), w->sessions.end());
      for (Session* session : sessions) CloseSession(*session);
      w->finished = true;
      w->sweeper.cancel();
      w->guard.reset();
    });
  }
  for (auto& worker : workers) worker->thread.join();
  // Completions of deferred responses that arrive from now on are dropped.
  for (auto& worker : workers) worker->mailbox->Close();
}

HttpServer::HttpServer(HttpServerOptions options, const Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() { return impl_->Start(); }

void HttpServer::Stop() { impl_->Stop(); }

uint16_t HttpServer::port() const { return impl_->bound_port.load(); }

HttpServerStats HttpServer::stats() const {
  HttpServerStats stats;
  for (const auto& worker : impl_->workers) {
    stats.connections_accepted += worker->accepted.load(std::memory_order_relaxed);
    stats.requests += worker->requests.load(std::memory_order_relaxed);
    stats.bad_requests += worker->bad_requests.load(std::memory_order_relaxed);
    stats.handler_errors += worker->handler_errors.load(std::memory_order_relaxed);
    stats.timeouts += worker->timeouts.load(std::memory_order_relaxed);
  }
  stats.connections_open = impl_->core.open_sessions.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace grove::api
