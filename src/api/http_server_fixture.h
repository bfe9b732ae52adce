#pragma once

// The server fixture shared by the http_server*_test.cc files: a Router with
// test routes and an HttpServer on an ephemeral port. Test-only.
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "api/http_server.h"
#include "api/http_test_client.h"

namespace grove::api {

// A gate a handler waits on, so a test controls when a request finishes.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void Arrive() {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  bool WaitArrived() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [this] { return arrived_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  bool arrived_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  // GET /big's body: more than the kernel buffers between a server and a
  // client that does not read, so the server's write stalls.
  static constexpr size_t kBigBodyBytes = 64 << 20;
  // PUT /upload/...'s body limit.
  static constexpr size_t kUploadLimit = 16 << 20;

  HttpServerTest() {
    Check(router_.Add("GET", "/hello", [](const HttpRequest&) {
      return TextResponse(200, "hello");
    }));
    Check(router_.Add("POST", "/api/v1/endpoints/{name}/invocations", [](const HttpRequest& r) {
      return JsonResponse(200, {{"name", r.PathParam("name")}, {"body", r.body},
                                {"model", r.headers.Get("x-amzn-sagemaker-target-model").value_or("")}});
    }));
    Check(router_.Add("GET", "/status/{code}", [](const HttpRequest& r) {
      std::string_view code = r.PathParam("code");
      if (code == "NotFound") return StatusResponse(Status::NotFound("no such model 'm'"));
      if (code == "AlreadyExists") return StatusResponse(Status::AlreadyExists("exists"));
      if (code == "FailedPrecondition") return StatusResponse(Status::FailedPrecondition("not ready"));
      if (code == "InvalidArgument") return StatusResponse(Status::InvalidArgument("bad row 3"));
      if (code == "Cancelled") return StatusResponse(Status::Cancelled("stopping"));
      return StatusResponse(Status::Internal("boom"));
    }));
    Check(router_.Add("GET", "/throw", [](const HttpRequest&) -> HttpResponse {
      throw std::runtime_error("handler bug");
    }));
    Check(router_.Add("GET", "/weird", [](const HttpRequest&) {
      HttpResponse response = TextResponse(200, "ok");
      response.headers.Add("X-Good", "yes");
      response.headers.Add("X-Evil", "a\r\nSet-Cookie: x=1");
      response.headers.Add("Content-Length", "999");  // Framing is the server's.
      response.headers.Add("connection", "close");
      return response;
    }));
    Check(router_.Add("GET", "/bad-status", [](const HttpRequest&) { return TextResponse(42, "?"); }));
    Check(router_.Add("GET", "/empty", [](const HttpRequest&) { return TextResponse(204, ""); }));
    Check(router_.Add("GET", "/big", [](const HttpRequest&) {
      return TextResponse(200, std::string(kBigBodyBytes, 'b'));
    }));
    // An upload route with its own, larger body limit, and a HEAD that
    // announces a length without sending a body.
    Check(router_.Add("PUT", "/upload/{name...}", [](const HttpRequest& r) {
      return TextResponse(200, std::to_string(r.body.size()));
    }, kUploadLimit));
    Check(router_.Add("HEAD", "/sized", [](const HttpRequest&) {
      HttpResponse response = TextResponse(200, "");
      response.head_content_length = 12345;
      return response;
    }));
    Check(router_.Add("GET", "/slow", [this](const HttpRequest&) {
      gate_.Arrive();
      return TextResponse(200, "finally");
    }));
  }
  ~HttpServerTest() override { gate_.Open(); }

  static void Check(const Status& status) { ASSERT_TRUE(status.ok()) << status.ToString(); }

  void StartServer(HttpServerOptions options = {}) {
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    server_ = std::make_unique<HttpServer>(options, router_);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_NE(server_->port(), 0);
  }
  uint16_t port() const { return server_->port(); }

  // The server still answers a plain request.
  void ExpectServing() {
    auto response = http_test::Fetch(port(), "GET", "/hello");
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
  }

  Router router_;
  Gate gate_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace grove::api
