// The CLI's only translation unit with Boost.Beast (see http_client.h).
#include "cli/http_client.h"

#include <chrono>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "common/json.h"

namespace grove::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kCallTimeout{120};
// Longer than the server's keep-alive comments (15 s): silence this long means it is gone.
constexpr std::chrono::seconds kEventTimeout{60};

}  // namespace

struct HttpClient::Connection {
  asio::io_context context;
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  size_t consumed = 0;  // Bytes of the event body already returned.
};

HttpClient::HttpClient(std::string base_url, std::string host, std::string port, std::string secret)
    : base_url_(std::move(base_url)), host_(std::move(host)), port_(std::move(port)), secret_(std::move(secret)) {}

HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Open(const std::string& base_url, std::string secret) {
  const std::string scheme = "http://";
  std::string rest = base_url.substr(0, scheme.size()) == scheme ? base_url.substr(scheme.size()) : "";
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return Status::InvalidArgument("GROVE_URL '" + base_url +
                                   "': expected http://host:port, e.g. http://127.0.0.1:8080 (https is not supported)");
  }
  size_t colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  return std::unique_ptr<HttpClient>(new HttpClient(scheme + rest, host, port, std::move(secret)));
}

namespace {

template <typename Body>
void SetHeaders(http::request<Body>& request, const std::string& host, const std::string& secret) {
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "grove-cli");
  if (!secret.empty()) request.set(http::field::authorization, "Bearer " + secret);
}

}  // namespace

Result<HttpReply> HttpClient::Call(const std::string& method, const std::string& target, const std::string& body) {
  try {
    Connection c;
    tcp::resolver resolver(c.context);
    c.stream.expires_after(kCallTimeout);
    c.stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    SetHeaders(request, host_, secret_);
    if (!body.empty()) request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    http::write(c.stream, request);
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(c.stream, c.buffer, parser);
    return HttpReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
  } catch (const std::exception& e) {
    return Status::IOError("cannot reach the server at " + base_url_ + " (GROVE_URL): " + e.what());
  }
}

Status HttpClient::OpenEvents(const std::string& target) {
  try {
    events_ = std::make_unique<Connection>();
    Connection& c = *events_;
    tcp::resolver resolver(c.context);
    c.stream.expires_after(kCallTimeout);
    c.stream.connect(resolver.resolve(host_, port_));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    SetHeaders(request, host_, secret_);
    http::write(c.stream, request);
    c.parser.emplace();
    c.parser->body_limit(boost::none);
    http::read_header(c.stream, c.buffer, *c.parser);
    if (c.parser->get().result_int() != 200) {
      http::read(c.stream, c.buffer, *c.parser);
      Status error = StatusOfReply({static_cast<int>(c.parser->get().result_int()), c.parser->get().body()});
      events_.reset();
      return error;
    }
    return Status::OK();
  } catch (const std::exception& e) {
    events_.reset();
    return Status::IOError("cannot reach the server at " + base_url_ + " (GROVE_URL): " + e.what());
  }
}

Result<ServerEvent> HttpClient::NextEvent() {
  ASSIGN_OR_RETURN(std::optional<ServerEvent> event, ReadEvent(std::nullopt));
  return std::move(*event);  // Without a deadline there is always one (or an error).
}

Result<std::optional<ServerEvent>> HttpClient::NextEventWithin(std::chrono::milliseconds at_most) {
  return ReadEvent(std::chrono::steady_clock::now() + at_most);
}

Result<std::optional<ServerEvent>> HttpClient::ReadEvent(
    std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!events_) return Status::FailedPrecondition("no event stream is open");
  Connection& c = *events_;
  try {
    while (true) {
      std::string& body = c.parser->get().body();
      size_t end;
      while ((end = body.find("\n\n", c.consumed)) != std::string::npos) {
        std::string block = body.substr(c.consumed, end - c.consumed);
        c.consumed = end + 2;
        ServerEvent event;
        size_t pos = 0;
        while (pos <= block.size()) {
          size_t eol = block.find('\n', pos);
          std::string line = block.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
          pos = eol == std::string::npos ? block.size() + 1 : eol + 1;
          if (line.rfind("id: ", 0) == 0) event.id = line.substr(4);
          if (line.rfind("event: ", 0) == 0) event.kind = line.substr(7);
          if (line.rfind("data: ", 0) == 0) event.data = line.substr(6);
        }
        if (!event.id.empty()) return std::optional<ServerEvent>(std::move(event));
      }
      if (c.consumed > 0) {
        body.erase(0, c.consumed);
        c.consumed = 0;
      }
      if (c.parser->is_done()) return Status::IOError("the server at " + base_url_ + " ended the event stream");
      auto now = std::chrono::steady_clock::now();
      if (deadline && now >= *deadline) {
        events_.reset();
        return std::optional<ServerEvent>();
      }
      c.stream.expires_after(deadline ? std::min<std::chrono::steady_clock::duration>(kEventTimeout, *deadline - now)
                                      : std::chrono::steady_clock::duration(kEventTimeout));
      // Asynchronous, since tcp_stream's timeouts apply to asynchronous operations only.
      beast::error_code error;
      http::async_read_some(c.stream, c.buffer, *c.parser, [&error](beast::error_code ec, size_t) { error = ec; });
      c.context.restart();
      c.context.run();
      if (error == beast::error::timeout && deadline && std::chrono::steady_clock::now() >= *deadline) {
        events_.reset();
        return std::optional<ServerEvent>();
      }
      if (error) throw beast::system_error(error);
    }
  } catch (const std::exception& e) {
    events_.reset();
    return Status::IOError("the event stream of the server at " + base_url_ + " failed: " + e.what());
  }
}

Status StatusOfReply(const HttpReply& reply) {
  Json body = Json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  std::string message = "the server answered HTTP " + std::to_string(reply.status);
  std::string code;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const Json& error = body["error"];
    if (error.contains("message") && error["message"].is_string()) message = error["message"].get<std::string>();
    if (error.contains("code") && error["code"].is_string()) code = error["code"].get<std::string>();
  }
  for (StatusCode c : {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
                       StatusCode::kFailedPrecondition, StatusCode::kIOError, StatusCode::kCancelled,
                       StatusCode::kInternal, StatusCode::kUnimplemented, StatusCode::kPermissionDenied}) {
    if (code == StatusCodeName(c)) return Status(c, message);
  }
  return reply.status >= 500 ? Status::Internal(message) : Status::InvalidArgument(message);
}

}  // namespace grove::cli
