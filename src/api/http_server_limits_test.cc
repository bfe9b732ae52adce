// The server under bad input, load and shutdown: body and header limits,
// malformed HTTP, random bytes, concurrent clients, graceful Stop, timeouts.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <random>
#include <thread>

#include "api/http_server_fixture.h"
#include "common/test_util.h"

namespace grove::api {
namespace {

using http_test::BuildRequest;
using http_test::Fetch;
using http_test::TestClient;

TEST_F(HttpServerTest, BodyOverTheDefaultLimitIs413) {
  StartServer();  // Default body limit: 6 MiB.
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  std::string body(7 * 1024 * 1024, 'x');
  // The server answers after the headers and drains the rest, so the whole
  // send completes and the 413 is readable (not lost to a reset).
  ASSERT_TRUE(client->Send(BuildRequest("POST", "/api/v1/endpoints/e/invocations", body)));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  Json error = Json::parse(response->body)["error"];
  EXPECT_EQ(error["code"], "PayloadTooLarge");
  EXPECT_NE(error["message"].get<std::string>().find("6291456 bytes"), std::string::npos);
  EXPECT_EQ(response->Header("Connection"), "close");
  client->ShutdownWrite();
  EXPECT_TRUE(client->WaitClosed());
  ExpectServing();
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  HttpServerOptions options;
  options.body_limit = 1000;
  StartServer(options);
  auto response = Fetch(port(), "POST", "/api/v1/endpoints/e/invocations", std::string(1000, 'y'));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  auto over = Fetch(port(), "POST", "/api/v1/endpoints/e/invocations", std::string(1001, 'y'));
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->status, 413);
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  HttpServerOptions options;
  options.body_limit = 64 * 1024;
  StartServer(options);
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  std::string request =
      "POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk(8192, 'z');
  for (int i = 0; i < 10; ++i) request += "2000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  ASSERT_TRUE(client->Send(request));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  ExpectServing();
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nHost: t\r\n"
                           "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client->ReadResponse(false, TestClient::kDefaultTimeoutMs, /*interim=*/true);
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->Send("abc"));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(Json::parse(response->body)["body"], "abc");
}

TEST_F(HttpServerTest, RouteBodyLimitAdmitsLargerUploadsOnlyOnItsRoute) {
  StartServer();  // Default body limit: 6 MiB; PUT /upload/...: 16 MiB.
  std::string body(7 * 1024 * 1024, 'u');
  auto upload = Fetch(port(), "PUT", "/upload/a/b", body);
  ASSERT_TRUE(upload.has_value());
  EXPECT_EQ(upload->status, 200);
  EXPECT_EQ(upload->body, std::to_string(body.size()));
  auto invocation = Fetch(port(), "POST", "/api/v1/endpoints/e/invocations", body);
  ASSERT_TRUE(invocation.has_value());
  EXPECT_EQ(invocation->status, 413);
  EXPECT_NE(invocation->body.find("6291456 bytes"), std::string::npos);
  auto over = Fetch(port(), "PUT", "/upload/a", std::string(kUploadLimit + 1, 'u'));
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->status, 413);
  EXPECT_NE(over->body.find(std::to_string(kUploadLimit) + " bytes"), std::string::npos);
  ExpectServing();
}

TEST_F(HttpServerTest, ExpectContinueIsRefusedBeforeABodyOverTheRouteLimit) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("PUT /upload/x HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                           std::to_string(kUploadLimit + 1) + "\r\nExpect: 100-continue\r\n\r\n"));
  auto response = client->ReadResponse(false, TestClient::kDefaultTimeoutMs, /*interim=*/true);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);  // No 100 Continue: the body is never sent.
}

TEST_F(HttpServerTest, ExpectContinueOnALargeUploadRoute) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  std::string body(8 * 1024 * 1024, 'p');  // An S3 part: over the default limit.
  ASSERT_TRUE(client->Send("PUT /upload/part HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client->ReadResponse(false, TestClient::kDefaultTimeoutMs, /*interim=*/true);
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client->Send(body));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, std::to_string(body.size()));
}

TEST_F(HttpServerTest, HeadersOverTheLimitAre431) {
  HttpServerOptions options;
  options.header_limit = 4096;
  StartServer(options);
  auto response = Fetch(port(), "GET", "/hello", "", "X-Big: " + std::string(8000, 'h') + "\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(Json::parse(response->body)["error"]["code"], "HeaderTooLarge");
}

TEST_F(HttpServerTest, MalformedRequestIs400AndClosed) {
  StartServer();
  const std::vector<std::string> bad = {
      "GARBAGE\r\n\r\n",
      "GET /hello HTTP/9.9\r\n\r\n",
      "GET /hello HTTP/1.1\r\nNo colon here\r\n\r\n",
      "POST /hello HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      "POST /hello HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
      // Framings Beast accepts but a proxy may read otherwise (request smuggling): each hides a second request.
      "POST /hello HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
      "POST /hello HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
      "POST /hello HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
      "GET /hello HTTP/1.1\r\nX-A: a\r\n b\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
      "GET /hello HTTP/1.1\nHost: t\n\nGET /hello HTTP/1.1\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: t\nX: y\r\n\r\nGET /hello HTTP/1.1\r\n\r\n",
  };
  for (const std::string& request : bad) {
    auto client = TestClient::Connect(port());
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->Send(request));
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << request;
    EXPECT_EQ(response->status, 400) << request;
    EXPECT_EQ(Json::parse(response->body)["error"]["code"], "BadRequest") << request;
    client->ShutdownWrite();
    EXPECT_TRUE(client->WaitClosed()) << request;
  }
  ExpectServing();
}

TEST_F(HttpServerTest, BadTargetIs400ButKeepsTheConnection) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(BuildRequest("GET", "/hello?x=%zz") + BuildRequest("GET", "/hello")));
  auto bad = client->ReadResponse();
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Json::parse(bad->body)["error"]["code"], "InvalidArgument");
  auto good = client->ReadResponse();
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->body, "hello");
}

TEST_F(HttpServerTest, RandomBytesNeverStopTheServer) {
  StartServer();
  std::mt19937 random(20240601);
  const std::vector<std::string> prefixes = {"", "GET / HTTP/1.1\r\n", "POST /api/v1/endpoints/x/invocations HTTP/1.1\r\nContent-Length: 20\r\n", "GET /hello HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 300; ++i) {
    auto client = TestClient::Connect(port());
    ASSERT_TRUE(client) << "iteration " << i;
    std::string bytes = prefixes[i % prefixes.size()];
    size_t length = random() % 600;
    for (size_t j = 0; j < length; ++j) bytes.push_back(static_cast<char>(random() % 256));
    client->Send(bytes);
    if (i % 3 == 0) continue;  // Hang up at once (often a reset).
    client->ShutdownWrite();
    EXPECT_TRUE(client->WaitClosed()) << "iteration " << i;
  }
  ExpectServing();
  EXPECT_GT(server_->stats().bad_requests, 0u);
}

TEST_F(HttpServerTest, ConcurrentClientsAllGetTheirOwnAnswers) {
  StartServer();
  constexpr int kThreads = 8, kRequests = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = TestClient::Connect(port());
      if (!client) return void(failures.fetch_add(kRequests));
      for (int i = 0; i < kRequests; ++i) {
        std::string body = std::to_string(t) + ":" + std::to_string(i);
        auto response = client->Send(BuildRequest("POST", "/api/v1/endpoints/e/invocations", body))
                            ? client->ReadResponse()
                            : std::nullopt;
        if (!response || response->status != 200 || Json::parse(response->body)["body"] != body) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_->stats().requests, uint64_t{kThreads * kRequests});
}

TEST_F(HttpServerTest, StopFinishesTheInFlightRequestAndClosesIdleOnes) {
  StartServer();
  auto idle = TestClient::Connect(port());
  ASSERT_TRUE(idle);
  ASSERT_TRUE(idle->Send(BuildRequest("GET", "/hello")));
  ASSERT_TRUE(idle->ReadResponse().has_value());
  auto busy = TestClient::Connect(port());
  ASSERT_TRUE(busy);
  ASSERT_TRUE(busy->Send(BuildRequest("GET", "/slow")));
  ASSERT_TRUE(gate_.WaitArrived());

  auto stopped = std::async(std::launch::async, [this] { server_->Stop(); });
  EXPECT_TRUE(idle->WaitClosed());  // The idle keep-alive connection goes at once.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
      << "Stop returned while a request was in flight";
  gate_.Open();
  auto response = busy->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "finally");
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(TestClient::Connect(port()), nullptr);  // No longer listening.
  server_->Stop();  // Idempotent.
}

TEST_F(HttpServerTest, StopGivesUpOnStuckClientsAfterTheTimeout) {
  HttpServerOptions options;
  options.stop_timeout = std::chrono::milliseconds(200);
  StartServer(options);
  auto stuck = TestClient::Connect(port());
  ASSERT_TRUE(stuck);
  ASSERT_TRUE(stuck->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // Let the server start reading it.
  auto begin = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(3));
  EXPECT_TRUE(stuck->WaitClosed());
}

TEST_F(HttpServerTest, IdleConnectionsTimeOut) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(100);
  StartServer(options);
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(BuildRequest("GET", "/hello")));
  ASSERT_TRUE(client->ReadResponse().has_value());
  EXPECT_TRUE(client->WaitClosed(10'000));
  // The session ends just after the close.
  EXPECT_TRUE(WaitUntil([&] { return server_->stats().connections_open == 0; }));
}

// Short read and write timeouts, far from idle_timeout (and a short stop,
// should a stuck connection outlive a failing test).
HttpServerOptions ShortTimeoutOptions() {
  HttpServerOptions options;
  options.header_timeout = std::chrono::milliseconds(200);
  options.body_timeout = std::chrono::milliseconds(200);
  options.write_timeout = std::chrono::milliseconds(200);
  options.idle_timeout = std::chrono::hours(1);
  options.stop_timeout = std::chrono::milliseconds(100);
  return options;
}

// A request that stops arriving half-way (in its header or in its body) is
// answered 408 and closed after its timeout, although idle_timeout is far away.
TEST_F(HttpServerTest, StalledRequestsAre408AfterTheirTimeout) {
  StartServer(ShortTimeoutOptions());
  auto in_header = TestClient::Connect(port());
  auto in_body = TestClient::Connect(port());
  ASSERT_TRUE(in_header && in_body);
  ASSERT_TRUE(in_header->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nHost: t\r\nContent-Le"));
  ASSERT_TRUE(in_body->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  for (auto* client : {in_header.get(), in_body.get()}) {
    auto response = client->ReadResponse(false, 10'000);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 408);
    EXPECT_EQ(Json::parse(response->body)["error"]["code"], "RequestTimeout");
    EXPECT_EQ(response->Header("Connection"), "close");
    EXPECT_TRUE(client->WaitClosed(10'000));
  }
  EXPECT_TRUE(WaitUntil([&] { return server_->stats().connections_open == 0; }))
      << server_->stats().connections_open << " stalled connections still open";
  EXPECT_EQ(server_->stats().requests, 0u);
  EXPECT_EQ(server_->stats().timeouts, 2u);
  ExpectServing();
}

// Slowloris: a header sent a byte at a time, each byte well within any
// per-read timeout, still has to be complete within header_timeout.
TEST_F(HttpServerTest, AHeaderTrickledAByteAtATimeIsCutOff) {
  StartServer(ShortTimeoutOptions());
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  const std::string header = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n";
  // 1 s of trickling (5 times the timeout) covers only a part of the header.
  auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (size_t i = 0; i < header.size() && std::chrono::steady_clock::now() < stop; ++i) {
    if (!client->Send(header.substr(i, 1))) break;  // Closed: the 408 is waiting.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto response = client->ReadResponse(false, 10'000);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_NE(response->body.find("did not arrive within 200 ms"), std::string::npos) << response->body;
  ExpectServing();
}

// A body that keeps coming, but slower than body_min_rate, is cut off once
// body_timeout plus what its bytes earned has passed; a fast one never is.
TEST_F(HttpServerTest, ABodyTrickledSlowerThanTheMinimumRateIsCutOff) {
  HttpServerOptions options = ShortTimeoutOptions();
  options.body_timeout = std::chrono::milliseconds(300);
  options.body_min_rate = 1000;  // Each byte earns 1 ms.
  StartServer(options);
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nContent-Length: 1000\r\n\r\n"));
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000 && client->Send("x"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto response = client->ReadResponse(false, 10'000);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_NE(response->body.find("too slowly"), std::string::npos) << response->body;
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
  // A body well above the rate takes longer than body_timeout and still arrives.
  auto fast = TestClient::Connect(port());
  ASSERT_TRUE(fast);
  ASSERT_TRUE(fast->Send("POST /api/v1/endpoints/e/invocations HTTP/1.1\r\nContent-Length: 6000\r\n\r\n"));
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(fast->Send(std::string(1000, 'f')));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto ok = fast->ReadResponse(false, 10'000);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

// A client that stops reading a response is closed after write_timeout.
TEST_F(HttpServerTest, ClientThatStopsReadingIsClosedAfterTheIoTimeout) {
  StartServer(ShortTimeoutOptions());
  auto reader = TestClient::Connect(port());
  ASSERT_TRUE(reader);
  ASSERT_TRUE(reader->Send(BuildRequest("GET", "/big")));
  ASSERT_TRUE(WaitUntil([&] { return server_->stats().requests == 1; }));
  EXPECT_TRUE(WaitUntil([&] { return server_->stats().connections_open == 0; }))
      << "a connection whose client reads nothing is still open";
  EXPECT_FALSE(reader->ReadResponse(false, 10'000).has_value()) << "got the whole response";
  ExpectServing();
}

TEST_F(HttpServerTest, PortInUseIsAnIOErrorNamingIt) {
  StartServer();
  HttpServerOptions options;
  options.port = port();
  HttpServer second(options, router_);
  Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("127.0.0.1:" + std::to_string(port())), std::string::npos)
      << status.message();
  EXPECT_EQ(server_->Start().code(), StatusCode::kFailedPrecondition);
  ExpectServing();
}

// Not a test: serves a fixed 34-byte body for bench/http_bench.sh, e.g.
//   GROVE_BENCH_PORT=18080 GROVE_BENCH_SECONDS=25 api_test
//     --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_ServeFixedBody'
// GROVE_BENCH_THREADS sets the I/O threads (default: one per core).
TEST(HttpServerBench, DISABLED_ServeFixedBody) {
  auto env = [](const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value ? std::atoi(value) : fallback;
  };
  Router router;
  ASSERT_TRUE(router.Add("GET", "/", [](const HttpRequest&) {
    return TextResponse(200, "0123456789012345678901234567890123");  // 34 bytes.
  }).ok());
  HttpServerOptions options;
  options.port = static_cast<uint16_t>(env("GROVE_BENCH_PORT", 18080));
  options.io_threads = env("GROVE_BENCH_THREADS", 0);
  HttpServer server(options, router);
  Status started = server.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  std::this_thread::sleep_for(std::chrono::seconds(env("GROVE_BENCH_SECONDS", 30)));
  server.Stop();
  std::printf("served %llu requests\n", static_cast<unsigned long long>(server.stats().requests));
}

}  // namespace
}  // namespace grove::api
