// Session: one connection of the HTTP server (http_worker.h drives it).
//
// A Session serves one connection as a loop:
//   WaitForRequest (idle) -> ReadHeader -> [100 Continue] -> ReadBody
//   -> HandleRequest (Router, inline) -> Write -> WaitForRequest | close.
// Each state has a deadline (HttpServerOptions' timeouts) that the worker's
// sweeper enforces: an idle connection is closed; a request that arrives too
// slowly has its read cancelled and is answered 408 (TimeOut).
// Bad input is answered (400/413/431) and then "lingering closed": the send
// side is shut down and whatever the client still sends is read and dropped
// for a while, so the client sees the error instead of a reset.
//
// A streamed response (HttpResponse::stream) replaces Write with
//   WriteStreamHeader -> PullStream: (Next -> write a chunk | wait on a timer)*
//   -> EndStream (last chunk) -> close,
// while WatchStreamClient reads from the socket to notice a client that goes
// away (Close then cancels the timer and frees the stream at once).
//
// A deferred response (HttpResponse::deferred) replaces Write with
//   Defer (parked in the worker, watching the socket for a client that leaves)
//   -> the completion is posted to the worker through its Mailbox
//   -> OnDeferredDone -> Write.
// The completion holds only a weak_ptr to the session and the worker's
// Mailbox, which Stop empties once the I/O threads are joined, so a late
// completion (client gone, server stopped or destroyed) is dropped safely.
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/beast_request.h"
#include "api/http_worker.h"
#include "api/request_framing.h"
#include "api/request_target.h"

namespace grove::api::http_internal {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using namespace std::string_view_literals;

constexpr std::chrono::milliseconds kDrainTimeout{2000};
constexpr size_t kDrainChunk = 16 * 1024;
constexpr size_t kHeaderReadChunk = 8 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

// Serves one connection on its worker's thread, from Start until Close (its
// states and their deadlines: the top of this file). Registers itself in
// worker.sessions and with the server while it lives.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Worker& worker, ServerCore& server);
  ~Session();

  // What StartSession, StopSession, SweepSession and CloseSession (http_worker.h) do.
  void Start();
  void OnServerStop();
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

void StartSession(tcp::socket socket, Worker& worker, ServerCore& server) {
  std::make_shared<Session>(std::move(socket), worker, server)->Start();
}
void StopSession(Session& session) { session.OnServerStop(); }
void SweepSession(Session& session, Clock::time_point now) { session.Sweep(now); }
void CloseSession(Session& session) { session.Close(); }

Session::Session(tcp::socket socket, Worker& worker, ServerCore& server)
    : socket_(std::move(socket)), worker_(worker), server_(server) {
  worker_.sessions.insert(this);
  server_.SessionStarted();
}

Session::~Session() {
  worker_.sessions.erase(this);
  server_.SessionEnded();
}

void Session::Start() {
  if (server_.stopping.load()) return Close();
  WaitForRequest();
}

void Session::OnServerStop() {
  if (state_ == State::kIdle) Close();
  if (state_ == State::kStreaming) EndStream();  // A stream that is writing ends after its chunk.
}

void Session::Sweep(Clock::time_point now) {
  const HttpServerOptions& options = server_.options;
  auto age = now - state_since_;
  switch (state_) {
    case State::kIdle: if (age > options.idle_timeout) Close(); break;
    case State::kReadingHeader: if (age > options.header_timeout) TimeOut(); break;
    case State::kReadingBody: if (BodyTooSlow(now)) TimeOut(); break;
    case State::kWriting: if (age > options.write_timeout) Close(); break;
    case State::kDraining: if (age > kDrainTimeout) Close(); break;
    case State::kStreaming:  // Waiting for the stream's next piece: as long as it takes.
    case State::kDeferred:   // Waiting for the handler's answer: as long as it takes.
    case State::kClosed: break;
  }
}

void Session::Close() {
  if (state_ == State::kClosed) return;
  SetState(State::kClosed);
  Unpark();
  stream_.reset();
  stream_timer_.cancel();
  ErrorCode ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);  // Pending operations complete with operation_aborted.
}

void Session::SetState(State state) {
  state_ = state;
  state_since_ = worker_.now;
}

// A body that paused longer than body_timeout, or took longer than
// body_timeout plus a second per body_min_rate bytes it brought.
bool Session::BodyTooSlow(Clock::time_point now) const {
  const HttpServerOptions& options = server_.options;
  if (now - body_progress_at_ > options.body_timeout) return true;
  const size_t rate = std::max<size_t>(options.body_min_rate, 1);
  const auto earned = std::chrono::milliseconds(body_received_ / rate * 1000 + body_received_ % rate * 1000 / rate);
  return now - state_since_ > options.body_timeout + earned;
}

// Cancels the read of a request that arrives too slowly; OnReadError then
// answers 408.
void Session::TimeOut() {
  timed_out_ = true;
  ErrorCode ignored;
  socket_.cancel(ignored);
}

// Waits for the next request's first bytes with a read, not async_wait: Asio
// re-arms epoll (epoll_ctl) for every wait, while a read queued after the
// last one drained the socket costs no system call until the bytes arrive.
void Session::WaitForRequest() {
  if (buffer_.size() > 0) return ReadHeader();  // Pipelined bytes already here.
  SetState(State::kIdle);
  socket_.async_read_some(buffer_.prepare(kHeaderReadChunk), [self = shared_from_this()](ErrorCode ec, size_t n) {
    if (self->state_ == State::kClosed) return;
    self->buffer_.commit(n);
    if (ec) return self->Close();  // Closed or reset between requests: nothing to answer.
    self->ReadHeader();
  });
}

void Session::ReadHeader() {
  SetState(State::kReadingHeader);
  timed_out_ = false;
  body_limit_ = std::max(server_.options.body_limit, server_.dispatcher.LargestBodyLimit());
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(server_.options.header_limit));
  // The largest any route accepts, until the header says which route it is.
  parser_->body_limit(body_limit_);
  header_scanned_ = 0;
  ReadHeaderBlock();
}

// Reads until the buffer holds the whole header block, checks its raw
// bytes (request_framing.h: Beast would accept a bare LF or obs-fold), then
// parses it.
void Session::ReadHeaderBlock() {
  const std::string_view bytes(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  Result<size_t> end = HeaderBlockEnd(bytes, header_scanned_ >= 3 ? header_scanned_ - 3 : 0);
  if (!end.ok()) return RejectMalformed(end.status().message());
  if (*end > 0) return ParseHeader();
  header_scanned_ = bytes.size();
  if (bytes.size() > server_.options.header_limit) return OnReadError(http::error::header_limit);
  socket_.async_read_some(buffer_.prepare(kHeaderReadChunk), [self = shared_from_this()](ErrorCode ec, size_t n) {
    if (self->state_ == State::kClosed) return;
    self->buffer_.commit(n);
    if (ec) return self->OnReadError(ec);
    self->ReadHeaderBlock();
  });
}

void Session::ParseHeader() {
  ErrorCode ec;
  buffer_.consume(parser_->put(buffer_.data(), ec));
  if (!ec && !parser_->is_header_done()) ec = http::error::partial_message;
  if (ec) return OnReadError(ec);
  OnHeader();
}

void Session::OnHeader() {
  const auto& message = parser_->get();
  std::vector<std::string_view> codings;
  auto [first, last] = message.equal_range(http::field::transfer_encoding);
  for (auto it = first; it != last; ++it) codings.push_back(View(it->value()));
  if (Status s = CheckTransferEncoding(codings, message.version()); !s.ok()) return RejectMalformed(s.message());
  if (parser_->is_done()) return HandleRequest();
  if (!ApplyBodyLimit()) return OnReadError(http::error::body_limit);
  auto expect = message.find(http::field::expect);
  if (message.version() >= 11 && expect != message.end() &&
      EqualsIgnoreCase(View(expect->value()), "100-continue")) {
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](ErrorCode ec, size_t) {
                        if (self->state_ == State::kClosed) return;
                        if (ec) return self->Close();
                        self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

// Limits the body to what the request's route accepts (before the 100
// Continue, so a refused upload is never sent). False when the declared
// Content-Length is over it.
bool Session::ApplyBodyLimit() {
  body_limit_ = RouteBodyLimit();
  auto length = parser_->content_length();
  if (length && *length > body_limit_) return false;
  parser_->body_limit(body_limit_);
  return true;
}

// The body limit of the route of the request whose header was read. Routes
// do not change while the server runs, so the answer for the last method and
// target is kept: a keep-alive client mostly repeats them.
size_t Session::RouteBodyLimit() {
  const auto& message = parser_->get();
  std::string_view method = View(message.method_string()), target_text = View(message.target());
  if (method == limit_method_ && target_text == limit_target_) return route_body_limit_;
  HttpRequest target;
  size_t route_limit = 0;
  if (ParseRequestTarget(target_text, &target).ok()) {
    route_limit = server_.dispatcher.BodyLimit(method, target.path);
  }
  limit_method_.assign(method);
  limit_target_.assign(target_text);
  route_body_limit_ = route_limit > 0 ? route_limit : server_.options.body_limit;
  return route_body_limit_;
}

void Session::ReadBody() {
  // A small body mostly arrives with its header: parse it from the buffer now
  // rather than through another turn of the event loop.
  if (auto length = parser_->content_length(); length && buffer_.size() >= *length) {
    ErrorCode ec;
    buffer_.consume(parser_->put(buffer_.data(), ec));
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return HandleRequest();
  }
  SetState(State::kReadingBody);
  body_received_ = 0;
  body_progress_at_ = worker_.now;
  ReadBodySome();
}

// Reads the body a buffer at a time, so the sweeper sees it progress.
void Session::ReadBodySome() {
  http::async_read_some(socket_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, size_t n) {
    if (self->state_ == State::kClosed) return;
    if (ec) return self->OnReadError(ec);
    if (self->parser_->is_done()) return self->HandleRequest();
    self->body_received_ += n;
    self->body_progress_at_ = self->worker_.now;
    self->ReadBodySome();
  });
}

void Session::OnReadError(ErrorCode ec) {
  static const boost::system::error_category& http_errors =
      http::make_error_code(http::error::end_of_stream).category();
  if (timed_out_ && ec == asio::error::operation_aborted) return RejectSlowRequest();
  // A vanished client, a closed idle connection, or a timeout: nobody to answer.
  if (ec.category() != http_errors || ec == http::error::end_of_stream ||
      ec == http::error::partial_message) {
    return Close();
  }
  Bump(worker_.bad_requests);
  if (ec == http::error::body_limit) {
    if (parser_ && parser_->is_header_done()) body_limit_ = RouteBodyLimit();
    return Reject(ErrorResponse(413, "PayloadTooLarge",
                                "request body is larger than the limit of " +
                                    std::to_string(body_limit_) + " bytes"));
  }
  if (ec == http::error::header_limit) {
    return Reject(ErrorResponse(431, "HeaderTooLarge",
                                "request line and headers are larger than the limit of " +
                                    std::to_string(server_.options.header_limit) + " bytes"));
  }
  Reject(ErrorResponse(400, "BadRequest", "malformed HTTP request: " + ec.message()));
}

void Session::RejectSlowRequest() {
  Bump(worker_.timeouts);
  const bool header = state_ == State::kReadingHeader;
  const auto limit = header ? server_.options.header_timeout : server_.options.body_timeout;
  std::string message =
      header ? "the request line and headers did not arrive within " + std::to_string(limit.count()) + " ms"
             : "the request body arrived too slowly: over " + std::to_string(limit.count()) +
                   " ms without a byte, or under " + std::to_string(server_.options.body_min_rate) +
                   " bytes a second on average";
  Reject(ErrorResponse(408, "RequestTimeout", message + "; the connection is closed"));
}

void Session::RejectMalformed(const std::string& what) {
  Bump(worker_.bad_requests);
  Reject(ErrorResponse(400, "BadRequest", "malformed HTTP request: " + what));
}

// Answers bad input and closes; the request cannot be framed any more.
void Session::Reject(HttpResponse response) {
  parser_.reset();
  Write(std::move(response), 11, /*keep_alive=*/false, /*head=*/false, /*drain=*/true);
}

void Session::HandleRequest() {
  auto& message = parser_->get();
  const unsigned version = message.version();
  const bool keep_alive = message.keep_alive();
  const bool head = message.method() == http::verb::head;
  HttpRequest request;
  Status target = TakeBeastRequest(message, &request);
  parser_.reset();
  if (!target.ok()) {
    Bump(worker_.bad_requests);
    return Write(StatusResponse(target), version, keep_alive, head, false);
  }
  Bump(worker_.requests);
  HttpResponse response = Dispatch(request);
  if (response.deferred) return Defer(std::move(response.deferred), version, keep_alive, head);
  Write(std::move(response), version, keep_alive, head, false);
}

// Waits for a deferred response without holding the I/O thread: parked in
// the worker, completed through its mailbox (see the top of the file).
void Session::Defer(std::shared_ptr<DeferredResponse> deferred, unsigned version, bool keep_alive, bool head) {
  SetState(State::kDeferred);
  deferred_request_ = {version, keep_alive, head};
  worker_.parked[this] = shared_from_this();
  WatchDeferredClient();
  deferred->OnComplete([weak = weak_from_this(), mailbox = worker_.mailbox](HttpResponse response) {
    mailbox->Post([weak, response = std::move(response)]() mutable {
      if (auto self = weak.lock()) self->OnDeferredDone(std::move(response));
    });
  });
}

// Notices a client that goes away while its answer is pending. Bytes of a
// pipelined next request end the watch; they are read after the answer.
void Session::WatchDeferredClient() {
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](ErrorCode ec) {
    if (self->state_ != State::kDeferred || ec == asio::error::operation_aborted) return;
    if (ec) return self->Close();
    char byte;
    ErrorCode peek;
    self->socket_.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, peek);
    if (peek) self->Close();  // End of stream or reset: nobody to answer.
  });
}

void Session::OnDeferredDone(HttpResponse response) {
  if (state_ != State::kDeferred) return;  // Closed meanwhile.
  Unpark();
  ErrorCode ignored;
  socket_.cancel(ignored);  // The client watch.
  response.deferred.reset();
  Write(std::move(response), deferred_request_.version, deferred_request_.keep_alive, deferred_request_.head,
        false);
}

// Drops the worker's reference, if parked; the session lives on while an
// operation or the caller holds it, else it is destroyed after this handler.
void Session::Unpark() {
  auto it = worker_.parked.find(this);
  if (it == worker_.parked.end()) return;
  asio::post(worker_.context, [keep = std::move(it->second)] {});
  worker_.parked.erase(it);
}

// The exception firewall: nothing a handler throws reaches Asio.
HttpResponse Session::Dispatch(HttpRequest& request) {
  std::string failure;
  try {
    return server_.dispatcher.Dispatch(&request);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  Bump(worker_.handler_errors);
  return ErrorResponse(500, "Internal",
                       "internal error while handling " + request.method + " " + request.path +
                           ": " + failure);
}

// Status line, Server, Content-Type and the handler's headers of `response` into `message`.
template <typename Message>
void Session::SetHeader(const HttpResponse& response, unsigned version, Message& message) {
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  message.set(http::field::server, server_.options.server_name);
  if (!response.content_type.empty() && SafeHeaderText(response.content_type)) {
    message.set(http::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers.fields()) {
    if (!SafeHeaderName(name) || !SafeHeaderText(value)) {
      continue;  // Would corrupt the header block; handlers must not send it.
    }
    message.insert(beast::string_view(name.data(), name.size()), value);
  }
}

// The status line and header fields of `response` into `out`, as Beast's
// serializer writes SetHeader's message, without building one: Server,
// Content-Type, the handler's headers, Content-Length (when `length`),
// and Connection as the version needs it to say `keep_alive`.
void Session::WriteHead(const HttpResponse& response, unsigned version, std::optional<uint64_t> length,
                        bool keep_alive, std::string* out) const {
  out->clear();
  out->append(version >= 11 ? "HTTP/1.1 "sv : "HTTP/1.0 "sv);
  const auto status = static_cast<unsigned>(response.status);
  const beast::string_view reason = http::obsolete_reason(http::int_to_status(status));
  out->append(std::to_string(status)).append(" "sv).append(reason.data(), reason.size()).append("\r\n"sv);
  AppendField(out, "Server"sv, server_.options.server_name);
  if (!response.content_type.empty() && SafeHeaderText(response.content_type)) {
    AppendField(out, "Content-Type", response.content_type);
  }
  for (const auto& [name, value] : response.headers.fields()) {
    // Framing is the server's: a handler's own would contradict it.
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
        EqualsIgnoreCase(name, "Transfer-Encoding")) {
      continue;
    }
    if (SafeHeaderName(name) && SafeHeaderText(value)) AppendField(out, name, value);  // See SetHeader.
  }
  if (length) AppendField(out, "Content-Length", std::to_string(*length));
  if (version >= 11 && !keep_alive) AppendField(out, "Connection", "close");
  if (version < 11 && keep_alive) AppendField(out, "Connection", "keep-alive");
  out->append("\r\n"sv);
}

void Session::AppendField(std::string* out, std::string_view name, std::string_view value) {
  out->append(name).append(": "sv).append(value).append("\r\n"sv);
}

void Session::Write(HttpResponse response, unsigned version, bool keep_alive, bool head, bool drain) {
  if (response.status < 200 || response.status > 599) {
    response = ErrorResponse(500, "Internal",
                             "handler returned invalid HTTP status " + std::to_string(response.status));
  }
  if (response.stream && !head && response.status != 204 && response.status != 304) {
    return WriteStreamHeader(std::move(response), version);
  }
  keep_alive = keep_alive && !server_.stopping.load(std::memory_order_relaxed);
  const bool no_body = response.status == 204 || response.status == 304;
  std::optional<uint64_t> length;
  if (!no_body) length = head && response.head_content_length ? *response.head_content_length : response.body.size();
  WriteHead(response, version, length, keep_alive, &head_);
  body_.clear();
  if (!no_body && !head) body_ = std::move(response.body);
  close_after_write_ = !keep_alive;
  drain_after_write_ = drain;
  SetState(State::kWriting);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
  asio::async_write(socket_, buffers, [self = shared_from_this()](ErrorCode ec, size_t) {
    if (self->state_ == State::kClosed) return;
    if (ec) return self->Close();
    self->AfterWrite();
  });
}

void Session::AfterWrite() {
  std::string().swap(body_);  // Release the body now, not at the next response.
  ErrorCode ec;
  if (drain_after_write_ || (close_after_write_ && socket_.available(ec) > 0)) return Drain();
  if (close_after_write_ || server_.stopping.load(std::memory_order_relaxed)) return Close();
  WaitForRequest();
}

// Sends a streamed response's header: chunked on HTTP/1.1; on HTTP/1.0 the
// body ends when the connection closes. Either way the connection closes
// after the stream, so nothing the client sends meanwhile is a request.
void Session::WriteStreamHeader(HttpResponse response, unsigned version) {
  stream_ = std::move(response.stream);
  chunked_ = version >= 11;
  stream_header_ = http::response<http::empty_body>();
  SetHeader(response, version, stream_header_);
  stream_header_.set(http::field::cache_control, "no-cache");
  stream_header_.keep_alive(false);
  if (chunked_) stream_header_.chunked(true);
  stream_serializer_.emplace(stream_header_);
  SetState(State::kWriting);
  http::async_write_header(socket_, *stream_serializer_, [self = shared_from_this()](ErrorCode ec, size_t) {
    if (self->state_ == State::kClosed) return;
    if (ec) return self->Close();
    self->stream_serializer_.reset();
    self->WatchStreamClient();
    self->PullStream();
  });
}

// Reads (and drops) what the client sends while the stream runs, so a
// client that disconnects is noticed at once, not at the next write.
void Session::WatchStreamClient() {
  if (!drain_buffer_) drain_buffer_ = std::make_unique<char[]>(kDrainChunk);
  socket_.async_read_some(asio::buffer(drain_buffer_.get(), kDrainChunk),
                          [self = shared_from_this()](ErrorCode ec, size_t) {
                            if (self->state_ == State::kClosed) return;
                            if (ec) return self->Close();
                            self->WatchStreamClient();
                          });
}

// Sends the stream's next piece, or waits retry_after() for one, or ends.
void Session::PullStream() {
  if (server_.stopping.load(std::memory_order_relaxed)) return EndStream();
  std::optional<std::string> piece;
  try {
    piece = stream_->Next();
  } catch (...) {
    Bump(worker_.handler_errors);
    piece.reset();
  }
  if (!piece) return EndStream();
  if (piece->empty()) {
    SetState(State::kStreaming);
    stream_timer_.expires_after(stream_->retry_after());
    stream_timer_.async_wait([self = shared_from_this()](ErrorCode ec) {
      if (ec || self->state_ != State::kStreaming) return;  // Cancelled: closed or ended.
      self->PullStream();
    });
    return;
  }
  chunk_.clear();
  if (chunked_) {
    char size[20];
    chunk_.append(size, static_cast<size_t>(std::snprintf(size, sizeof size, "%zx\r\n", piece->size())));
  }
  chunk_ += *piece;
  if (chunked_) chunk_ += "\r\n";
  WriteChunk([](Session& self) { self.PullStream(); });
}

// Ends the body (the last chunk) and closes the connection.
void Session::EndStream() {
  stream_.reset();
  stream_timer_.cancel();
  if (!chunked_) return Close();
  chunk_ = "0\r\n\r\n";
  WriteChunk([](Session& self) { self.Close(); });
}

void Session::WriteChunk(void (*then)(Session&)) {
  SetState(State::kWriting);
  asio::async_write(socket_, asio::buffer(chunk_), [self = shared_from_this(), then](ErrorCode ec, size_t) {
    if (self->state_ == State::kClosed) return;
    if (ec) return self->Close();
    then(*self);
  });
}

// Lingering close: stop sending, read and drop input until the client
// closes, a byte budget is spent or kDrainTimeout passes (Sweep).
void Session::Drain() {
  SetState(State::kDraining);
  ErrorCode ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  drained_budget_ = 4 * std::max<size_t>(server_.options.body_limit, 1 << 20);
  if (!drain_buffer_) drain_buffer_ = std::make_unique<char[]>(kDrainChunk);
  buffer_.consume(buffer_.size());
  ReadAndDrop();
}

void Session::ReadAndDrop() {
  socket_.async_read_some(asio::buffer(drain_buffer_.get(), kDrainChunk),
                          [self = shared_from_this()](ErrorCode ec, size_t n) {
                            if (self->state_ == State::kClosed) return;
                            if (ec || n >= self->drained_budget_) return self->Close();
                            self->drained_budget_ -= n;
                            self->ReadAndDrop();
                          });
}

}  // namespace grove::api::http_internal
