#include "api/router.h"

#include <gtest/gtest.h>

namespace grove::api {
namespace {

// A handler that reports which rule ran and the captures it saw.
HandlerFunction Named(std::string name) {
  return [name](const HttpRequest& request) {
    Json body = {{"rule", name}, {"params", Json::object()}};
    for (const auto& [key, value] : request.path_params) body["params"][key] = value;
    return JsonResponse(200, body);
  };
}

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

Json Call(const Router& router, std::string method, std::string path, int* status = nullptr) {
  HttpRequest request = Request(std::move(method), std::move(path));
  HttpResponse response = router.Route(&request);
  if (status) *status = response.status;
  return Json::parse(response.body);
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.Add("GET", "/", Named("root")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/endpoints", Named("list")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/endpoints/{name}", Named("show")).ok());
    ASSERT_TRUE(router_.Add("DELETE", "/api/v1/endpoints/{name}", Named("delete")).ok());
    ASSERT_TRUE(router_.Add("POST", "/api/v1/endpoints/{name}/invocations", Named("invoke")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/pipelines/special", Named("special")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/pipelines/{name}", Named("pipeline")).ok());
    ASSERT_TRUE(router_.Add("GET", "/s3/{bucket}/{key...}", Named("object")).ok());
    ASSERT_TRUE(router_.Add("HEAD", "/s3/{bucket}/{key...}", Named("head-object")).ok());
  }
  Router router_;
};

TEST_F(RouterTest, CapturesArePercentDecoded) {
  int status = 0;
  Json body = Call(router_, "POST", "/api/v1/endpoints/churn%20prod/invocations", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["rule"], "invoke");
  EXPECT_EQ(body["params"]["name"], "churn prod");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/endpoints/a%2Fb")["params"]["name"], "a/b");
}

TEST_F(RouterTest, FirstMatchingRuleWins) {
  EXPECT_EQ(Call(router_, "GET", "/api/v1/pipelines/special")["rule"], "special");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/pipelines/abalone")["rule"], "pipeline");
}

TEST_F(RouterTest, RootAndTrailingSlash) {
  EXPECT_EQ(Call(router_, "GET", "/")["rule"], "root");
  EXPECT_EQ(Call(router_, "GET", "")["rule"], "root");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/endpoints/")["rule"], "list");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/endpoints/x/")["rule"], "show");
}

TEST_F(RouterTest, RestCaptureTakesTheRemainingSegments) {
  Json body = Call(router_, "GET", "/s3/grove/artifacts/ab/report%20v1.json");
  EXPECT_EQ(body["rule"], "object");
  EXPECT_EQ(body["params"]["bucket"], "grove");
  EXPECT_EQ(body["params"]["key"], "artifacts/ab/report v1.json");
  EXPECT_EQ(Call(router_, "GET", "/s3/grove/dir/")["params"]["key"], "dir/");
  int status = 0;
  Call(router_, "GET", "/s3/grove", &status);
  EXPECT_EQ(status, 404);  // A rest capture needs at least one segment.
}

TEST_F(RouterTest, HeadFallsBackToGetUnlessAHeadRuleMatches) {
  EXPECT_EQ(Call(router_, "HEAD", "/api/v1/endpoints")["rule"], "list");
  EXPECT_EQ(Call(router_, "HEAD", "/s3/b/k")["rule"], "head-object");
}

TEST_F(RouterTest, NotFoundNamesThePathAndListsSimilarRoutes) {
  int status = 0;
  Json body = Call(router_, "POST", "/api/v1/endpoint/churn/invocations", &status);
  EXPECT_EQ(status, 404);
  const Json& error = body["error"];
  EXPECT_EQ(error["code"], "NotFound");
  EXPECT_EQ(error["path"], "/api/v1/endpoint/churn/invocations");
  ASSERT_FALSE(error["similar"].empty());
  EXPECT_EQ(error["similar"][0], "POST /api/v1/endpoints/{name}/invocations");
  EXPECT_NE(error["message"].get<std::string>().find(
                "did you mean POST /api/v1/endpoints/{name}/invocations?"),
            std::string::npos)
      << error["message"];
}

TEST_F(RouterTest, NotFoundSuggestsRoutesUnderAKnownPrefix) {
  Json body = Call(router_, "GET", "/api/v1/endpoints/x/status");
  const Json& similar = body["error"]["similar"];
  EXPECT_LE(similar.size(), 5u);
  EXPECT_NE(std::find(similar.begin(), similar.end(), "GET /api/v1/endpoints/{name}"), similar.end())
      << similar;
}

TEST_F(RouterTest, NotFoundWithoutHintsForUnrelatedOrHugePaths) {
  Json body = Call(router_, "GET", "/metrics/prometheus/something/else");
  EXPECT_TRUE(body["error"]["similar"].empty()) << body;
  EXPECT_EQ(body["error"]["message"], "no route for GET /metrics/prometheus/something/else");
  int status = 0;
  Call(router_, "GET", "/" + std::string(100000, 'a'), &status);
  EXPECT_EQ(status, 404);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpRequest request = Request("PUT", "/api/v1/endpoints/churn");
  HttpResponse response = router_.Route(&request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "GET, DELETE, HEAD");
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["error"]["code"], "MethodNotAllowed");
  EXPECT_EQ(body["error"]["allowed"], Json({"GET", "DELETE", "HEAD"}));
}

TEST_F(RouterTest, BadlyEncodedCaptureIs400) {
  int status = 0;
  Json body = Call(router_, "GET", "/api/v1/endpoints/a%zz", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["code"], "InvalidArgument");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("{name}"), std::string::npos);
}

TEST(RouterAddTest, RejectsMalformedPatternsAndDuplicates) {
  Router router;
  auto add = [&](std::string_view pattern) { return router.Add("GET", pattern, Named("x")).code(); };
  EXPECT_EQ(add("api"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a//b"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/{"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/{}"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/x{y}"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/{x}/{x}"), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/{rest...}/b"), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add("", "/a", Named("x")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.Add("GET", "/a", std::shared_ptr<Handler>()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(add("/a/{x}"), StatusCode::kOk);
  EXPECT_EQ(add("/a/{x}"), StatusCode::kAlreadyExists);
  EXPECT_EQ(router.Add("POST", "/a/{x}", Named("x")).code(), StatusCode::kOk);
  EXPECT_EQ(router.Describe(), (std::vector<std::string>{"GET /a/{x}", "POST /a/{x}"}));
}

TEST(RouterAddTest, OneHandlerCanServeSeveralRules) {
  Router router;
  auto handler = std::make_shared<FunctionHandler>(Named("shared"));
  ASSERT_TRUE(router.Add("GET", "/a", handler).ok());
  ASSERT_TRUE(router.Add("POST", "/b", handler).ok());
  EXPECT_EQ(Call(router, "GET", "/a")["rule"], "shared");
  EXPECT_EQ(Call(router, "POST", "/b")["rule"], "shared");
}

TEST(RouterBodyLimitTest, TheMatchingRuleDecidesAndFirstMatchWins) {
  Router router;
  ASSERT_TRUE(router.Add("POST", "/endpoints/{name}/invocations", Named("invoke")).ok());
  ASSERT_TRUE(router.Add("PUT", "/{bucket}/{key...}", Named("put"), 256 << 20).ok());
  ASSERT_TRUE(router.Add("POST", "/{bucket}/{key...}", Named("post"), 1 << 20).ok());
  EXPECT_EQ(router.BodyLimit("PUT", "/b/k/x"), size_t{256} << 20);
  EXPECT_EQ(router.BodyLimit("POST", "/endpoints/e/invocations"), 0u);  // Its own rule: the server's limit.
  EXPECT_EQ(router.BodyLimit("POST", "/b/k"), size_t{1} << 20);
  EXPECT_EQ(router.BodyLimit("GET", "/b/k"), 0u);
  EXPECT_EQ(router.LargestBodyLimit(), size_t{256} << 20);
}

}  // namespace
}  // namespace grove::api

namespace grove::api {
namespace {

TEST(RouterHeaderTest, RequestsCarryingTheHeaderGoToItsHandlerWhateverThePath) {
  Router router;
  ASSERT_TRUE(router.Add("POST", "/", Named("root")).ok());
  router.AddForHeader("X-Amz-Target", std::make_shared<FunctionHandler>(Named("control-plane")));
  HttpRequest plain = Request("POST", "/");
  EXPECT_EQ(Json::parse(router.Route(&plain).body)["rule"], "root");
  HttpRequest targeted = Request("POST", "/");
  targeted.headers.Add("x-amz-target", "SageMaker.ListPipelines");
  EXPECT_EQ(Json::parse(router.Route(&targeted).body)["rule"], "control-plane");
  HttpRequest elsewhere = Request("GET", "/no/such/path");
  elsewhere.headers.Add("X-Amz-Target", "SageMaker.ListPipelines");
  EXPECT_EQ(Json::parse(router.Route(&elsewhere).body)["rule"], "control-plane");
}

// A reserved first segment is never captured: /api/... paths get Grove's
// 404 and 405, not the answer of a catch-all such as S3's /{bucket}/{key...}.
TEST(RouterReserveTest, AReservedSegmentIsOnlyTakenByItsLiteralRules) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/api/v1/pipelines", Named("pipelines")).ok());
  ASSERT_TRUE(router.Add("GET", "/{bucket}/{key...}", Named("object")).ok());
  ASSERT_TRUE(router.Add("PUT", "/{bucket}", Named("bucket")).ok());
  router.Reserve("api");
  int status = 0;
  EXPECT_EQ(Call(router, "GET", "/api/v1/pipelines")["rule"], "pipelines");
  EXPECT_EQ(Call(router, "GET", "/api/v1/nothing", &status)["error"]["code"], "NotFound");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(Call(router, "PUT", "/api", &status)["error"]["code"], "NotFound");
  Call(router, "PUT", "/api/v1/pipelines", &status);
  EXPECT_EQ(status, 405);
  EXPECT_EQ(Call(router, "GET", "/apiary/k")["rule"], "object");
  EXPECT_EQ(Call(router, "PUT", "/data")["rule"], "bucket");
}

}  // namespace
}  // namespace grove::api
