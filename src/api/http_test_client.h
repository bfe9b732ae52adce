#pragma once

// A minimal blocking HTTP/1.1 client over POSIX sockets for api_test. It uses
// no Beast on purpose (compile time), sends bytes exactly as given (so tests
// can send malformed input) and reads responses framed by Content-Length.
// Test-only: included by *_test.cc files, never by the library.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "common/sanitizers.h"

namespace grove::api::http_test {

struct ClientResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  std::string Header(std::string_view name) const {
    auto value = headers.Get(name);
    return value ? std::string(*value) : std::string();
  }
};

class TestClient {
 public:
  // How long the reads below wait by default for what must arrive: 5 s, longer under a sanitizer.
  static constexpr int kDefaultTimeoutMs = 5000 * kSanitizerSlowdown;

  // Connects to 127.0.0.1:port; nullptr when the connection is refused.
  static std::unique_ptr<TestClient> Connect(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return nullptr;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd);
      return nullptr;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return std::unique_ptr<TestClient>(new TestClient(fd));
  }

  ~TestClient() { ::close(fd_); }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends all bytes; false when the peer has closed or reset the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // Reads one final response (skipping 1xx ones unless `interim`); nullopt on
  // timeout, close or a malformed response. `head`: the response has no body.
  std::optional<ClientResponse> ReadResponse(bool head = false, int timeout_ms = kDefaultTimeoutMs,
                                             bool interim = false) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      size_t end;
      while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill(deadline)) return std::nullopt;
      }
      ClientResponse response;
      if (!ParseHead(std::string_view(buffer_).substr(0, end), &response)) return std::nullopt;
      buffer_.erase(0, end + 4);
      if (response.status < 200 && !interim) continue;
      size_t length = 0;
      if (auto value = response.headers.Get("Content-Length"); value && !head) {
        length = std::stoul(std::string(*value));
      }
      while (buffer_.size() < length) {
        if (!Fill(deadline)) return std::nullopt;
      }
      response.body = buffer_.substr(0, length);
      buffer_.erase(0, length);
      return response;
    }
  }

  // The bytes received (after any response already read) until `needle` has
  // arrived, the server closes or the timeout passes; they are consumed.
  std::string ReadUntil(std::string_view needle, int timeout_ms = kDefaultTimeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (buffer_.find(needle) == std::string::npos && Fill(deadline)) {
    }
    return std::exchange(buffer_, std::string());
  }
  // Everything until the server closes (or the timeout passes).
  std::string ReadUntilClosed(int timeout_ms = kDefaultTimeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Fill(deadline)) {
    }
    return std::exchange(buffer_, std::string());
  }

  // True when the server closes (EOF or reset) within the timeout; bytes that
  // arrive first are discarded.
  bool WaitClosed(int timeout_ms = kDefaultTimeoutMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      buffer_.clear();
      int result = ReadSome(deadline);
      if (result == kClosed) return true;
      if (result == kTimeout) return false;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  enum { kTimeout = 0, kData = 1, kClosed = 2 };

  explicit TestClient(int fd) : fd_(fd) {}

  // Appends the next bytes read before the deadline to buffer_.
  // Returns kData, kClosed (EOF or reset) or kTimeout.
  int ReadSome(Clock::time_point deadline) {
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return kTimeout;
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return kTimeout;
      char chunk[16384];
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return kClosed;
      buffer_.append(chunk, static_cast<size_t>(n));
      return kData;
    }
  }
  bool Fill(Clock::time_point deadline) { return ReadSome(deadline) == kData; }

  static bool ParseHead(std::string_view head, ClientResponse* response) {
    size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return false;
    response->status = std::stoi(std::string(status_line.substr(9, 3)));
    while (line_end != std::string_view::npos) {
      head.remove_prefix(line_end + 2);
      line_end = head.find("\r\n");
      std::string_view line = head.substr(0, line_end);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return false;
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response->headers.Add(std::string(line.substr(0, colon)), std::string(value));
    }
    return true;
  }

  int fd_;
  std::string buffer_;
};

// "METHOD target HTTP/1.1" with Host, Content-Length (when there is a body or
// a method that takes one) and any `extra` header lines ("Name: value\r\n").
inline std::string BuildRequest(std::string_view method, std::string_view target,
                                std::string_view body = "", std::string_view extra = "") {
  std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += std::string(extra) + "\r\n" + std::string(body);
  return request;
}

// One request on a fresh connection.
inline std::optional<ClientResponse> Fetch(uint16_t port, std::string_view method,
                                           std::string_view target, std::string_view body = "",
                                           std::string_view extra = "") {
  auto client = TestClient::Connect(port);
  if (!client || !client->Send(BuildRequest(method, target, body, extra))) return std::nullopt;
  return client->ReadResponse(method == "HEAD");
}

}  // namespace grove::api::http_test
