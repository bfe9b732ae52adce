#pragma once

// The fixture of the REST route tests (test-only): a fresh data folder, the
// REST routes (and the serving routes, for invocations) behind real access
// control on a real HTTP server, and one key per role ("viewer-key", ...),
// sent as Bearer secrets.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "api/access_control.h"
#include "app/access_keys.h"
#include "api/auth/authenticator.h"
#include "api/http_server.h"
#include "api/http_test_client.h"
#include "api/rest/rest_routes.h"
#include "api/serving_routes.h"
#include "app/app_test_fixture.h"

namespace grove::api::rest {

class RestTest : public app::testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    executor_ = home_->NewExecutor(1).value();
    service_ = std::make_unique<serving::EndpointService>(home_->metadata(), home_->artifacts(),
                                                          serving::ModelCacheOptions{});
    ASSERT_TRUE(service_->Refresh().ok());
    for (app::Role role : {app::Role::kViewer, app::Role::kOperator, app::Role::kApprover, app::Role::kAdmin}) {
      std::string name = std::string(app::RoleName(role)) + "-key";
      auto key = app::CreateAccessKey(*home_->metadata(), role, name);
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      secrets_[std::string(app::RoleName(role))] = key->secret;
    }
    RestContext context;
    context.home = home_.get();
    context.executor = executor_.get();
    context.service = service_.get();
    context.events.poll = std::chrono::milliseconds(10);
    context.events.keep_alive = keep_alive_;
    ASSERT_TRUE(AddRestRoutes(&router_, context).ok());
    ASSERT_TRUE(AddServingRoutes(&router_, service_.get(), nullptr, &counters_).ok());
    keys_ = std::make_unique<auth::StoreKeySource>(home_->metadata(), home_->clock(), 0);
    authenticator_ = std::make_unique<auth::KeyAuthenticator>(keys_.get(), home_->clock());
    access_ = std::make_unique<AccessControl>(router_, authenticator_.get());
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    server_ = std::make_unique<HttpServer>(options, *access_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    server_->Stop();
    executor_.reset();
  }

  // The headers of a request made with the key of `role`.
  std::string Auth(const std::string& role) { return "Authorization: Bearer " + secrets_[role] + "\r\n"; }

  http_test::ClientResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                                 const std::string& role = "admin") {
    auto response = http_test::Fetch(server_->port(), method, target, body, Auth(role));
    EXPECT_TRUE(response.has_value()) << method << " " << target;
    return response.value_or(http_test::ClientResponse{});
  }
  // Opens a server-sent event stream as a viewer, with `headers`; checks the response head.
  std::unique_ptr<http_test::TestClient> OpenStream(const std::string& target, const std::string& headers = "") {
    auto client = http_test::TestClient::Connect(server_->port());
    EXPECT_TRUE(client->Send(http_test::BuildRequest("GET", target, "", Auth("viewer") + headers)));
    auto head = client->ReadResponse(/*head=*/true);
    EXPECT_TRUE(head.has_value()) << target;
    if (head) {
      EXPECT_EQ(head->status, 200) << target;
      EXPECT_EQ(head->Header("Content-Type"), "text/event-stream; charset=utf-8");
    }
    return client;
  }
  // The JSON body of a call that must answer `status`.
  Json Expect(int status, const std::string& method, const std::string& target, const std::string& body = "",
              const std::string& role = "admin") {
    http_test::ClientResponse response = Call(method, target, body, role);
    EXPECT_EQ(response.status, status) << method << " " << target << ": " << response.body;
    return Json::parse(response.body, nullptr, false);
  }

  std::chrono::milliseconds keep_alive_{15'000};
  std::unique_ptr<pipeline::Executor> executor_;
  std::unique_ptr<serving::EndpointService> service_;
  InvocationCounters counters_;
  std::map<std::string, std::string> secrets_;
  Router router_;
  std::unique_ptr<auth::StoreKeySource> keys_;
  std::unique_ptr<auth::KeyAuthenticator> authenticator_;
  std::unique_ptr<AccessControl> access_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace grove::api::rest
