// Streamed responses (HttpResponse::stream): chunked framing, a client that
// goes away, and a server that stops while streams are open.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "api/http_server_fixture.h"

namespace grove::api {
namespace {

// Gives `pieces` in order, then ends; "" pieces are "nothing yet". With
// `endless` it gives "" forever after. Counts live streams in `alive`.
class ScriptedStream : public ResponseStream {
 public:
  ScriptedStream(std::vector<std::string> pieces, bool endless, std::atomic<int>* alive, bool throw_at_end = false)
      : pieces_(std::move(pieces)), endless_(endless), throw_at_end_(throw_at_end), alive_(alive) {
    ++*alive_;
  }
  ~ScriptedStream() override { --*alive_; }
  std::optional<std::string> Next() override {
    if (next_ < pieces_.size()) return pieces_[next_++];
    if (throw_at_end_) throw std::runtime_error("stream bug");
    if (endless_) return std::string();
    return std::nullopt;
  }
  std::chrono::milliseconds retry_after() const override { return std::chrono::milliseconds(5); }

 private:
  std::vector<std::string> pieces_;
  size_t next_ = 0;
  bool endless_;
  bool throw_at_end_;
  std::atomic<int>* alive_;
};

class HttpServerStreamTest : public HttpServerTest {
 protected:
  HttpServerStreamTest() {
    AddStream("/finite", {"one\n", "", "two\n", "", "", "three\n"}, false);
    AddStream("/endless", {"hello\n"}, true);
    AddStream("/throws", {"partial\n"}, false, true);
  }
  void AddStream(std::string path, std::vector<std::string> pieces, bool endless, bool throws = false) {
    Check(router_.Add("GET", path, [this, pieces, endless, throws](const HttpRequest&) {
      HttpResponse response = TextResponse(200, "ignored", "text/event-stream");
      response.stream = std::make_shared<ScriptedStream>(pieces, endless, &alive_, throws);
      return response;
    }));
  }
  // Waits up to 5 s for every stream to be destroyed.
  bool StreamsFreed() {
    for (int i = 0; i < 500 && alive_.load() != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return alive_.load() == 0;
  }

  std::atomic<int> alive_{0};
};

TEST_F(HttpServerStreamTest, SendsPiecesAsChunksThenTheLastChunkAndCloses) {
  StartServer();
  auto client = http_test::TestClient::Connect(port());
  ASSERT_TRUE(client->Send(http_test::BuildRequest("GET", "/finite")));
  auto head = client->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(head->Header("Content-Length"), "");
  EXPECT_EQ(head->Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(head->Header("Connection"), "close");
  EXPECT_EQ(head->Header("Cache-Control"), "no-cache");
  // Empty pieces send nothing (an empty chunk would end the body).
  EXPECT_EQ(client->ReadUntilClosed(), "4\r\none\n\r\n4\r\ntwo\n\r\n6\r\nthree\n\r\n0\r\n\r\n");
  EXPECT_TRUE(StreamsFreed());
}

TEST_F(HttpServerStreamTest, Http10GetsTheBodyUntilClose) {
  StartServer();
  auto client = http_test::TestClient::Connect(port());
  ASSERT_TRUE(client->Send("GET /finite HTTP/1.0\r\n\r\n"));
  auto head = client->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Header("Transfer-Encoding"), "");
  EXPECT_EQ(client->ReadUntilClosed(), "one\ntwo\nthree\n");
}

TEST_F(HttpServerStreamTest, HeadGetsTheHeadersOnly) {
  StartServer();
  auto response = http_test::Fetch(port(), "HEAD", "/endless");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(StreamsFreed());
}

TEST_F(HttpServerStreamTest, AClientThatGoesAwayFreesItsStreamAtOnce) {
  StartServer();
  {
    auto client = http_test::TestClient::Connect(port());
    ASSERT_TRUE(client->Send(http_test::BuildRequest("GET", "/endless")));
    EXPECT_NE(client->ReadUntil("hello\n").find("hello\n"), std::string::npos);
    EXPECT_EQ(alive_.load(), 1);
  }  // Closes the socket; the server writes nothing more to notice it.
  EXPECT_TRUE(StreamsFreed());
  // The connection is counted closed just after its stream is freed, on the I/O thread.
  for (int i = 0; i < 500 && server_->stats().connections_open != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(server_->stats().connections_open, 0u);
  ExpectServing();
}

TEST_F(HttpServerStreamTest, StopEndsOpenStreamsWithoutWaitingForThem) {
  HttpServerOptions options;
  options.stop_timeout = std::chrono::seconds(20);
  StartServer(options);
  auto client = http_test::TestClient::Connect(port());
  ASSERT_TRUE(client->Send(http_test::BuildRequest("GET", "/endless")));
  EXPECT_NE(client->ReadUntil("hello\n").find("hello\n"), std::string::npos);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(client->ReadUntilClosed(), "0\r\n\r\n");  // The body ended properly.
  EXPECT_TRUE(StreamsFreed());
}

TEST_F(HttpServerStreamTest, AStreamThatThrowsEndsItsBodyAndTheServerGoesOn) {
  StartServer();
  auto client = http_test::TestClient::Connect(port());
  ASSERT_TRUE(client->Send(http_test::BuildRequest("GET", "/throws")));
  ASSERT_TRUE(client->ReadResponse(/*head=*/true).has_value());
  EXPECT_EQ(client->ReadUntilClosed(), "8\r\npartial\n\r\n0\r\n\r\n");
  EXPECT_EQ(server_->stats().handler_errors, 1u);
  EXPECT_TRUE(StreamsFreed());
  ExpectServing();
}

}  // namespace
}  // namespace grove::api
