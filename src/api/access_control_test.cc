#include "api/access_control.h"

#include <gtest/gtest.h>

#include <map>

namespace grove::api {
namespace {

using auth::AuthError;
using auth::AuthOutcome;
using app::Role;

// Answers by the Authorization header: "Bearer <role>" authenticates a key of
// that role named "<role>-user"; "fail <n>" fails with AuthError n; and a key
// of role "operator" sends a decoded body when the body is "chunked".
class FakeAuthenticator : public auth::Authenticator {
 public:
  AuthOutcome Authenticate(const auth::RequestView& request) const override {
    ++calls;
    std::string authorization;
    for (const auto& [name, value] : *request.headers) {
      if (EqualsIgnoreCase(name, "Authorization")) authorization = value;
    }
    if (authorization.empty()) return AuthOutcome::Fail(AuthError::kMissing, "no credentials");
    if (authorization.rfind("fail ", 0) == 0) {
      return AuthOutcome::Fail(static_cast<AuthError>(std::stoi(authorization.substr(5))), "failed <here> & why");
    }
    std::optional<Role> role = app::ParseRole(authorization.substr(7));
    if (!role) return AuthOutcome::Fail(AuthError::kUnknownKey, "unknown");
    AuthOutcome outcome;
    outcome.caller = {"GRVKFAKE", std::string(app::RoleName(*role)) + "-user", *role};
    if (request.body == "chunked") outcome.decoded_body = "decoded";
    last_query = std::string(request.query);
    return outcome;
  }
  mutable int calls = 0;
  mutable std::string last_query;
};

// The wrapped dispatcher: echoes what it saw.
class Echo : public Dispatcher {
 public:
  HttpResponse Dispatch(HttpRequest* request) const override {
    HttpResponse response = JsonResponse(200, Json{{"identity", request->identity},
                                                   {"role", app::RoleName(request->role)},
                                                   {"body", request->body}});
    response.headers.Set("Seen-Content-Encoding", std::string(request->headers.Get("Content-Encoding").value_or("")));
    return response;
  }
};

HttpRequest AcRequest(std::string method, std::string target, std::map<std::string, std::string> headers = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  request.path = target.substr(0, target.find('?'));
  for (auto& [name, value] : headers) request.headers.Add(name, value);
  return request;
}

class AccessControlTest : public ::testing::Test {
 protected:
  HttpResponse Call(HttpRequest request) { return control_.Dispatch(&request); }
  HttpResponse Call(std::string method, std::string target, std::map<std::string, std::string> headers = {}) {
    return Call(AcRequest(std::move(method), std::move(target), std::move(headers)));
  }

  FakeAuthenticator authenticator_;
  Echo echo_;
  AccessControl control_{echo_, &authenticator_};
};

TEST_F(AccessControlTest, PassesTheCallerOn) {
  HttpResponse response = Call("GET", "/api/v1/endpoints?x=1", {{"Authorization", "Bearer viewer"}});
  ASSERT_EQ(response.status, 200) << response.body;
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["identity"], "viewer-user");
  EXPECT_EQ(body["role"], "viewer");
  EXPECT_EQ(authenticator_.last_query, "x=1");
}

TEST_F(AccessControlTest, HealthIsOpenAndEverythingElseNeedsAKey) {
  EXPECT_EQ(Call("GET", "/ping").status, 200);
  EXPECT_EQ(Call("HEAD", "/api/v1/health").status, 200);
  EXPECT_EQ(authenticator_.calls, 0);
  EXPECT_EQ(Call("GET", "/metrics").status, 401);
  EXPECT_EQ(Call("POST", "/ping").status, 401);
}

TEST_F(AccessControlTest, TheConsoleIsOpenButItsApiCallsAreNot) {
  EXPECT_EQ(Call("GET", "/", {{"Accept", "text/html,application/xhtml+xml"}}).status, 200);
  EXPECT_EQ(Call("GET", "/ui/assets/main-X.js").status, 200);
  EXPECT_EQ(Call("HEAD", "/ui").status, 200);
  EXPECT_EQ(authenticator_.calls, 0);
  // S3's ListBuckets (no text/html), a write under /ui/ and the API the console calls all need a key.
  EXPECT_EQ(Call("GET", "/").status, 403);
  EXPECT_EQ(Call("PUT", "/ui/assets/main-X.js").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/whoami").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/whoami", {{"Authorization", "Bearer viewer"}}).status, 200);
}

TEST_F(AccessControlTest, RolesLimitWhatACallerMayDo) {
  auto status = [&](const std::string& method, const std::string& target, const std::string& role,
                    const std::string& amz_target = "") {
    std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + role}};
    if (!amz_target.empty()) headers["X-Amz-Target"] = amz_target;
    return Call(method, target, headers).status;
  };
  EXPECT_EQ(status("GET", "/b/k", "viewer"), 200);
  EXPECT_EQ(status("PUT", "/b/k", "viewer"), 403);
  EXPECT_EQ(status("PUT", "/b/k", "operator"), 200);
  EXPECT_EQ(status("POST", "/endpoints/e/invocations", "viewer"), 403);
  EXPECT_EQ(status("POST", "/endpoints/e/invocations", "operator"), 200);
  EXPECT_EQ(status("POST", "/", "viewer", "SageMaker.ListPipelines"), 200);
  EXPECT_EQ(status("POST", "/", "viewer", "SageMaker.DescribePipelineExecution"), 200);
  EXPECT_EQ(status("POST", "/", "viewer", "SageMaker.StartPipelineExecution"), 403);
  EXPECT_EQ(status("POST", "/", "operator", "SageMaker.StartPipelineExecution"), 200);
  EXPECT_EQ(status("POST", "/", "operator", "SageMaker.UpdateModelPackage"), 403);
  EXPECT_EQ(status("POST", "/", "approver", "SageMaker.UpdateModelPackage"), 200);
  EXPECT_EQ(status("POST", "/", "operator", "SageMaker.SendPipelineExecutionStepSuccess"), 403);
  EXPECT_EQ(status("POST", "/api/v1/models/g/versions/3/approve", "operator"), 403);
  EXPECT_EQ(status("POST", "/api/v1/models/g/versions/3/approve", "approver"), 200);
  EXPECT_EQ(status("GET", "/api/v1/keys", "approver"), 403);
  EXPECT_EQ(status("GET", "/api/v1/keys", "admin"), 200);
}

TEST_F(AccessControlTest, TheServerMayClassifyRequestsItself) {
  AccessControl strict(echo_, &authenticator_, [](const HttpRequest&) { return std::optional<Role>(Role::kAdmin); });
  HttpRequest request = AcRequest("GET", "/b/k", {{"Authorization", "Bearer approver"}});
  EXPECT_EQ(strict.Dispatch(&request).status, 403);
  AccessControl open(echo_, &authenticator_, [](const HttpRequest&) { return std::optional<Role>(); });
  request = AcRequest("PUT", "/b/k");
  EXPECT_EQ(open.Dispatch(&request).status, 200);
}

TEST_F(AccessControlTest, SageMakerErrorsAreJson11WithType) {
  HttpResponse response = Call("POST", "/", {{"X-Amz-Target", "SageMaker.ListPipelines"},
                                             {"Authorization", "fail " + std::to_string(int(AuthError::kUnknownKey))}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType"), "UnrecognizedClientException");
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["__type"], "UnrecognizedClientException");
  EXPECT_EQ(body["Message"], "failed <here> & why");

  response = Call("POST", "/", {{"X-Amz-Target", "SageMaker.ListPipelines"},
                                {"Authorization", "fail " + std::to_string(int(AuthError::kBadSignature))}});
  EXPECT_EQ(Json::parse(response.body)["__type"], "InvalidSignatureException");
  response = Call("POST", "/", {{"X-Amz-Target", "SageMaker.CreatePipeline"}, {"Authorization", "Bearer viewer"}});
  EXPECT_EQ(response.status, 403);
  body = Json::parse(response.body);
  EXPECT_EQ(body["__type"], "AccessDeniedException");
  EXPECT_NE(body["Message"].get<std::string>().find("sagemaker:CreatePipeline"), std::string::npos);
  EXPECT_NE(body["Message"].get<std::string>().find("viewer-user"), std::string::npos);
}

TEST_F(AccessControlTest, RuntimeErrorsCarryTheTypeInAHeader) {
  HttpResponse response = Call("POST", "/endpoints/e/invocations",
                               {{"Authorization", "fail " + std::to_string(int(AuthError::kExpired))}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType"), "InvalidSignatureException");
  EXPECT_EQ(Json::parse(response.body)["message"], "failed <here> & why");
  response = Call("POST", "/endpoints/e/invocations", {{"Authorization", "Bearer viewer"}});
  EXPECT_EQ(response.headers.Get("x-amzn-ErrorType"), "AccessDeniedException");
}

TEST_F(AccessControlTest, S3ErrorsAreXml) {
  struct Case {
    AuthError error;
    int status;
    std::string code;
  };
  for (const Case& c : {Case{AuthError::kUnknownKey, 403, "InvalidAccessKeyId"},
                        Case{AuthError::kBadSignature, 403, "SignatureDoesNotMatch"},
                        Case{AuthError::kExpired, 403, "RequestTimeTooSkewed"},
                        Case{AuthError::kMissing, 403, "AccessDenied"},
                        Case{AuthError::kMalformed, 400, "AuthorizationHeaderMalformed"},
                        Case{AuthError::kPayloadMismatch, 400, "XAmzContentSHA256Mismatch"},
                        Case{AuthError::kUnavailable, 503, "ServiceUnavailable"}}) {
    HttpResponse response = Call("GET", "/bucket/key", {{"Authorization", "fail " + std::to_string(int(c.error))}});
    EXPECT_EQ(response.status, c.status) << c.code;
    EXPECT_EQ(response.content_type, "application/xml");
    EXPECT_NE(response.body.find("<Error><Code>" + c.code + "</Code><Message>failed &lt;here&gt; &amp; why</Message>"),
              std::string::npos)
        << response.body;
  }
  HttpResponse denied = Call("DELETE", "/bucket/key", {{"Authorization", "Bearer viewer"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.body.find("<Code>AccessDenied</Code>"), std::string::npos);
}

TEST_F(AccessControlTest, NativeErrorsAreGroveJsonAndAskForABearerToken) {
  HttpResponse response = Call("GET", "/api/v1/endpoints");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.Get("WWW-Authenticate"), "Bearer realm=\"grove\"");
  EXPECT_EQ(Json::parse(response.body)["error"]["code"], "Unauthenticated");
  response = Call("POST", "/api/v1/endpoints/e/invocations", {{"Authorization", "Bearer viewer"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Json::parse(response.body)["error"]["code"], "PermissionDenied");
}

TEST_F(AccessControlTest, ADecodedBodyReplacesTheChunkedOne) {
  HttpRequest request = AcRequest("PUT", "/b/k", {{"Authorization", "Bearer operator"},
                                                {"Content-Encoding", "aws-chunked,gzip"}});
  request.body = "chunked";
  HttpResponse response = control_.Dispatch(&request);
  EXPECT_EQ(Json::parse(response.body)["body"], "decoded");
  EXPECT_EQ(response.headers.Get("Seen-Content-Encoding"), "gzip");
}

TEST(AccessControlOff, EveryRequestIsAnonymousAdmin) {
  Echo echo;
  AccessControl off(echo, nullptr);
  HttpRequest request = AcRequest("DELETE", "/b/k");
  Json body = Json::parse(off.Dispatch(&request).body);
  EXPECT_EQ(body["identity"], "anonymous");
  EXPECT_EQ(body["role"], "admin");
}

TEST(Protocol, FollowsTheDispatchRule) {
  EXPECT_EQ(ProtocolOf(AcRequest("POST", "/", {{"X-Amz-Target", "SageMaker.ListPipelines"}})), Protocol::kSageMaker);
  EXPECT_EQ(ProtocolOf(AcRequest("POST", "/endpoints/e/invocations")), Protocol::kRuntime);
  EXPECT_EQ(ProtocolOf(AcRequest("POST", "/endpoints/a/b/invocations")), Protocol::kS3);
  EXPECT_EQ(ProtocolOf(AcRequest("GET", "/api/v1/endpoints")), Protocol::kNative);
  EXPECT_EQ(ProtocolOf(AcRequest("GET", "/metrics")), Protocol::kNative);
  EXPECT_EQ(ProtocolOf(AcRequest("GET", "/")), Protocol::kS3);
  EXPECT_EQ(ProtocolOf(AcRequest("GET", "/apiary/k")), Protocol::kS3);
}

TEST(DescribeAccess, FillsCapturesAndAsksTheClassifier) {
  std::vector<RouteAccess> routes = DescribeAccess(
      {"GET /ping", "POST /api/v1/registry/{group}/{version}/approve", "DELETE /api/v1/keys/{id}",
       "PUT /{bucket}/{key...}", "GET /api/v1/endpoints"});
  ASSERT_EQ(routes.size(), 5u);
  EXPECT_FALSE(routes[0].role.has_value());
  EXPECT_EQ(routes[1].example.path, "/api/v1/registry/x1/x1/approve");
  EXPECT_EQ(routes[1].role, Role::kApprover);
  EXPECT_EQ(routes[2].role, Role::kAdmin);
  EXPECT_EQ(routes[3].method, "PUT");
  EXPECT_EQ(routes[3].pattern, "/{bucket}/{key...}");
  EXPECT_EQ(routes[3].example.path, "/x1/x1/y1");
  EXPECT_EQ(routes[3].role, Role::kOperator);
  EXPECT_EQ(routes[4].role, Role::kViewer);
}

TEST(Loopback, OnlyLoopbackAddressesCount) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "192.168.1.4", "10.0.0.1", "example.com", "", "128.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace grove::api
