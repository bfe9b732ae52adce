// Deferred responses (HttpResponse::deferred): the I/O thread serves others
// while an answer is pending; a client that leaves, and a server that stops
// or is destroyed before the answer, are safe.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "api/http_server_fixture.h"

namespace grove::api {
namespace {

class HttpServerDeferredTest : public HttpServerTest {
 protected:
  HttpServerDeferredTest() {
    // Answers later: the test completes it with Answer().
    Check(router_.Add("GET", "/later/{id}", [this](const HttpRequest& r) {
      HttpResponse response;
      response.deferred = std::make_shared<DeferredResponse>();
      std::lock_guard<std::mutex> lock(mutex_);
      pending_.push_back({std::string(r.PathParam("id")), response.deferred});
      changed_.notify_all();
      return response;
    }));
    // Completes before returning: the server must still send it.
    Check(router_.Add("GET", "/already", [](const HttpRequest&) {
      HttpResponse response;
      response.deferred = std::make_shared<DeferredResponse>();
      response.deferred->Complete(TextResponse(200, "already"));
      return response;
    }));
  }

  void Start(int io_threads, std::chrono::milliseconds stop_timeout = std::chrono::seconds(10)) {
    HttpServerOptions options;
    options.io_threads = io_threads;
    options.stop_timeout = stop_timeout;
    StartServer(options);
  }
  // Connects and sends GET /later/<id>; returns once the handler has it.
  std::unique_ptr<http_test::TestClient> SendLater(const std::string& id) {
    size_t before;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      before = pending_.size();
    }
    auto client = http_test::TestClient::Connect(port());
    EXPECT_TRUE(client->Send(http_test::BuildRequest("GET", "/later/" + id)));
    EXPECT_TRUE(WaitPending(before + 1));
    return client;
  }
  // Waits until `n` deferred requests have reached the handler.
  bool WaitPending(size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return pending_.size() >= n; });
  }
  // Completes the i-th deferred request from another thread, answering its id.
  void Answer(size_t i) {
    std::shared_ptr<DeferredResponse> deferred;
    std::string id;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      id = pending_[i].first;
      deferred = pending_[i].second;
    }
    std::thread([deferred, id] { deferred->Complete(TextResponse(200, "answer " + id)); }).join();
  }
  bool WaitOpenConnections(uint64_t n) {
    for (int i = 0; i < 500; ++i) {
      if (server_->stats().connections_open == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, std::shared_ptr<DeferredResponse>>> pending_;
};

TEST_F(HttpServerDeferredTest, OneIoThreadServesOthersWhileAnAnswerIsPending) {
  Start(1);
  auto waiting = SendLater("a");
  for (int i = 0; i < 3; ++i) ExpectServing();  // The only I/O thread is free.
  Answer(0);
  auto response = waiting->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "answer a");
  // The connection is kept alive and serves its next request.
  ASSERT_TRUE(waiting->Send(http_test::BuildRequest("GET", "/hello")));
  response = waiting->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "hello");
}

TEST_F(HttpServerDeferredTest, AResponseCompletedBeforeTheHandlerReturnsIsSent) {
  StartServer();
  auto response = http_test::Fetch(port(), "GET", "/already");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "already");
}

TEST_F(HttpServerDeferredTest, PipelinedRequestsAfterADeferredOneAreAnsweredInOrder) {
  StartServer();
  auto client = http_test::TestClient::Connect(port());
  ASSERT_TRUE(client->Send(http_test::BuildRequest("GET", "/later/p") + http_test::BuildRequest("GET", "/hello")));
  ASSERT_TRUE(WaitPending(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // The second request is waiting, unread.
  Answer(0);
  auto first = client->ReadResponse();
  auto second = client->ReadResponse();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->body, "answer p");
  EXPECT_EQ(second->body, "hello");
}

TEST_F(HttpServerDeferredTest, AClientThatLeavesIsClosedAndItsLateAnswerDropped) {
  Start(1);
  SendLater("gone");  // And closed at once, without waiting for the answer.
  EXPECT_TRUE(WaitOpenConnections(0));
  Answer(0);
  ExpectServing();
}

TEST_F(HttpServerDeferredTest, StopClosesPendingConnectionsAfterItsTimeoutAndLateAnswersAreDropped) {
  Start(2, std::chrono::milliseconds(200));
  auto client = SendLater("s");
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(client->WaitClosed());
  Answer(0);          // The server is stopped: dropped.
  server_.reset();
  ASSERT_TRUE(pending_[0].second != nullptr);
  pending_[0].second->Complete(TextResponse(200, "again"));  // Ignored: completed once.
}

TEST_F(HttpServerDeferredTest, AnAnswerDuringStopIsSentWithConnectionClose) {
  Start(2);
  auto client = SendLater("d");
  std::thread stopper([&] { server_->Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Answer(0);
  auto response = client->ReadResponse();
  stopper.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "answer d");
  EXPECT_EQ(response->Header("Connection"), "close");
}

TEST_F(HttpServerDeferredTest, AnswersCompletedAfterTheServerIsDestroyedAreDropped) {
  Start(2, std::chrono::milliseconds(100));
  std::vector<std::unique_ptr<http_test::TestClient>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(SendLater(std::to_string(i)));
  server_.reset();  // Stops (after its timeout) and frees everything.
  for (size_t i = 0; i < 4; ++i) Answer(i);
  for (auto& client : clients) EXPECT_TRUE(client->WaitClosed());
}

}  // namespace
}  // namespace grove::api
