#include "api/http_server.h"

#include <gtest/gtest.h>

#include "api/http_server_fixture.h"

namespace grove::api {
namespace {

using http_test::BuildRequest;
using http_test::ClientResponse;
using http_test::Fetch;
using http_test::TestClient;

TEST_F(HttpServerTest, RoutesWithCapturesAndHeaders) {
  StartServer();
  auto response = Fetch(port(), "POST", "/api/v1/endpoints/churn%2Dprod/invocations", "1,2,3",
                        "X-Amzn-SageMaker-Target-Model: churn/2\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_EQ(response->Header("Server"), "grove");
  EXPECT_EQ(Json::parse(response->body),
            Json::parse(R"({"name":"churn-prod","body":"1,2,3","model":"churn/2"})"));
}

TEST_F(HttpServerTest, UnknownPathIs404WithHints) {
  StartServer();
  auto response = Fetch(port(), "POST", "/api/v1/endpoint/churn/invocations", "x");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
  Json body = Json::parse(response->body);
  EXPECT_EQ(body["error"]["path"], "/api/v1/endpoint/churn/invocations");
  EXPECT_EQ(body["error"]["similar"][0], "POST /api/v1/endpoints/{name}/invocations");
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  auto response = Fetch(port(), "DELETE", "/hello");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->Header("Allow"), "GET, HEAD");
  EXPECT_EQ(Json::parse(response->body)["error"]["code"], "MethodNotAllowed");
}

TEST_F(HttpServerTest, StatusErrorsMapToHttpCodesWithJsonBodies) {
  StartServer();
  const std::vector<std::pair<std::string, int>> cases = {
      {"InvalidArgument", 400}, {"NotFound", 404},  {"AlreadyExists", 409},
      {"FailedPrecondition", 409}, {"Cancelled", 503}, {"Internal", 500}};
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  for (const auto& [code, http_status] : cases) {
    ASSERT_TRUE(client->Send(BuildRequest("GET", "/status/" + code)));
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << code;
    EXPECT_EQ(response->status, http_status) << code;
    EXPECT_EQ(Json::parse(response->body)["error"]["code"], code);
  }
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndServingGoesOn) {
  StartServer();
  auto response = Fetch(port(), "GET", "/throw");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  Json error = Json::parse(response->body)["error"];
  EXPECT_EQ(error["code"], "Internal");
  EXPECT_NE(error["message"].get<std::string>().find("handler bug"), std::string::npos);
  EXPECT_EQ(server_->stats().handler_errors, 1u);
  ExpectServing();
}

TEST_F(HttpServerTest, UnsafeHeadersAndStatusesFromHandlersAreContained) {
  StartServer();
  auto weird = Fetch(port(), "GET", "/weird");
  ASSERT_TRUE(weird.has_value());
  EXPECT_EQ(weird->Header("X-Good"), "yes");
  EXPECT_FALSE(weird->headers.Has("X-Evil"));
  EXPECT_FALSE(weird->headers.Has("Set-Cookie"));
  EXPECT_EQ(weird->Header("Content-Length"), "2");
  EXPECT_EQ(weird->body, "ok");
  EXPECT_FALSE(weird->headers.Has("Connection"));  // Kept alive: HTTP/1.1 says nothing.
  auto bad = Fetch(port(), "GET", "/bad-status");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 500);
  auto empty = Fetch(port(), "GET", "/empty");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->status, 204);
  EXPECT_FALSE(empty->headers.Has("Content-Length"));
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  for (int i = 0; i < 20; ++i) {
    std::string body = "row " + std::to_string(i);
    ASSERT_TRUE(client->Send(BuildRequest("POST", "/api/v1/endpoints/e/invocations", body)));
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << i;
    EXPECT_EQ(Json::parse(response->body)["body"], body);
    EXPECT_NE(response->Header("Connection"), "close");
  }
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
  EXPECT_EQ(server_->stats().requests, 20u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += BuildRequest("POST", "/api/v1/endpoints/e/invocations", std::to_string(i));
  ASSERT_TRUE(client->Send(batch));
  for (int i = 0; i < 10; ++i) {
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << i;
    EXPECT_EQ(Json::parse(response->body)["body"], std::to_string(i));
  }
}

TEST_F(HttpServerTest, HeadSendsLengthWithoutBody) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(BuildRequest("HEAD", "/hello") + BuildRequest("HEAD", "/sized") +
                           BuildRequest("GET", "/hello")));
  auto head = client->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "5");
  // A handler may announce the length GET would send (S3's HeadObject).
  auto sized = client->ReadResponse(/*head=*/true);
  ASSERT_TRUE(sized.has_value());
  EXPECT_EQ(sized->Header("Content-Length"), "12345");
  auto get = client->ReadResponse();  // Would be garbled had HEAD sent a body.
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->body, "hello");
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("GET /hello HTTP/1.0\r\n\r\n"));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "hello");
  EXPECT_TRUE(client->WaitClosed());
}

// An HTTP/1.0 client that asks for keep-alive keeps its connection for the
// next request, and is told so (1.0 has no persistent connections by default).
TEST_F(HttpServerTest, Http10KeepAliveIsHonoured) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")) << i;
    auto response = client->ReadResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i << " found the connection closed";
    EXPECT_EQ(response->body, "hello");
    EXPECT_TRUE(EqualsIgnoreCase(response->Header("Connection"), "keep-alive")) << response->Header("Connection");
  }
  // The last request of a 1.0 client that stops asking closes the connection.
  ASSERT_TRUE(client->Send("GET /hello HTTP/1.0\r\n\r\n"));
  ASSERT_TRUE(client->ReadResponse().has_value());
  EXPECT_TRUE(client->WaitClosed());
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
  EXPECT_EQ(server_->stats().requests, 4u);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer();
  auto client = TestClient::Connect(port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(BuildRequest("GET", "/hello", "", "Connection: close\r\n")));
  auto response = client->ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_TRUE(client->WaitClosed());
}

}  // namespace
}  // namespace grove::api
