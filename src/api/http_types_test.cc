#include "api/http_types.h"

#include <gtest/gtest.h>

#include "api/request_target.h"

namespace grove::api {
namespace {

TEST(HttpHeadersTest, LookupIgnoresCaseAndSetReplacesEveryField) {
  HttpHeaders headers;
  headers.Add("Content-Type", "text/csv");
  headers.Add("X-Amzn-SageMaker-Target-Model", "a");
  headers.Add("x-amzn-sagemaker-target-model", "b");
  EXPECT_EQ(headers.Get("content-type"), "text/csv");
  EXPECT_EQ(headers.Get("X-AMZN-SAGEMAKER-TARGET-MODEL"), "a");  // The first one.
  EXPECT_FALSE(headers.Has("Accept"));
  headers.Set("X-Amzn-Sagemaker-Target-Model", "c");
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.Get("x-amzn-sagemaker-target-model"), "c");
  headers.Remove("CONTENT-TYPE");
  EXPECT_FALSE(headers.Has("Content-Type"));
}

TEST(SafeHeaderTextTest, RefusesCrLfAndNulAtEveryPositionAndAcceptsTheRest) {
  // Every forbidden byte at every position of texts of many lengths.
  for (size_t length = 0; length < 40; ++length) {
    std::string text(length, 'a');
    for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>(' ' + (i * 7) % 95);  // Printable ASCII.
    EXPECT_TRUE(SafeHeaderText(text)) << length;
    for (size_t at = 0; at < length; ++at) {
      for (char bad : {'\r', '\n', '\0'}) {
        std::string broken = text;
        broken[at] = bad;
        EXPECT_FALSE(SafeHeaderText(broken)) << length << " " << at << " " << int(bad);
      }
    }
  }
  // Bytes next to the forbidden ones, tabs and bytes above 0x7f are allowed.
  EXPECT_TRUE(SafeHeaderText("\x01\x0b\x0c\x0e\t\xff\x80\x8d\x8a\x01\x0b\x0c\x0e\t\xff\x80\x8d\x8a"));
  EXPECT_TRUE(SafeHeaderName("X-Grove-Variant"));
  EXPECT_FALSE(SafeHeaderName(""));
  EXPECT_FALSE(SafeHeaderName("X-A: b"));
  EXPECT_FALSE(SafeHeaderName("X A"));
  EXPECT_FALSE(SafeHeaderName("X-A\r\nX-B"));
}

TEST(HttpStatusForTest, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kCancelled), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kIOError), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(StatusResponseTest, WritesTheErrorBody) {
  HttpResponse response = StatusResponse(Status::NotFound("endpoint 'churn-prod' does not exist"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(Json::parse(response.body),
            Json::parse(R"({"error":{"code":"NotFound","message":"endpoint 'churn-prod' does not exist"}})"));
  EXPECT_EQ(StatusResponse(Status::AlreadyExists("x")).status, 409);
  EXPECT_EQ(StatusResponse(Status::InvalidArgument("x")).status, 400);
}

TEST(ErrorResponseTest, DetailsFollowTheMessage) {
  Json details = {{"expected", 8}, {"received", 7}};
  HttpResponse response = ErrorResponse(400, "InvalidArgument", "wrong number of features", details);
  EXPECT_EQ(response.body,
            R"({"error":{"code":"InvalidArgument","message":"wrong number of features","expected":8,"received":7}})");
}

TEST(JsonResponseTest, InvalidUtf8IsReplacedNotThrown) {
  HttpResponse response = JsonResponse(200, Json{{"text", std::string("a\xff")}});
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("\"text\""), std::string::npos);
}

TEST(HttpRequestTest, QueryAndPathParams) {
  HttpRequest request;
  ASSERT_TRUE(ParseRequestTarget("/x?prefix=a&prefix=b", &request).ok());
  request.path_params["name"] = "m";
  EXPECT_EQ(request.QueryParam("prefix"), "a");
  EXPECT_FALSE(request.QueryParam("Prefix").has_value());
  EXPECT_EQ(request.PathParam("name"), "m");
  EXPECT_EQ(request.PathParam("other"), "");
}

TEST(RequestTargetTest, SplitsPathAndDecodesQuery) {
  HttpRequest request;
  ASSERT_TRUE(ParseRequestTarget("/s3/bucket/a%2Fb+c?list-type=2&prefix=dir%2Fx+y&flag&=v#frag",
                                 &request).ok());
  EXPECT_EQ(request.target, "/s3/bucket/a%2Fb+c?list-type=2&prefix=dir%2Fx+y&flag&=v#frag");
  EXPECT_EQ(request.path, "/s3/bucket/a%2Fb+c");  // Still encoded; '+' is literal in paths.
  ASSERT_EQ(request.query.size(), 4u);
  EXPECT_EQ(request.query[0], (std::pair<std::string, std::string>{"list-type", "2"}));
  EXPECT_EQ(request.query[1], (std::pair<std::string, std::string>{"prefix", "dir/x y"}));
  EXPECT_EQ(request.query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(request.query[3], (std::pair<std::string, std::string>{"", "v"}));
}

TEST(RequestTargetTest, AcceptsAbsoluteForm) {
  HttpRequest request;
  ASSERT_TRUE(ParseRequestTarget("http://localhost:8080/ping?x=1", &request).ok());
  EXPECT_EQ(request.path, "/ping");
  EXPECT_EQ(request.QueryParam("x"), "1");
  ASSERT_TRUE(ParseRequestTarget("HTTP://localhost:8080", &request).ok());
  EXPECT_EQ(request.path, "/");
}

TEST(RequestTargetTest, RejectsOtherFormsAndBadEscapes) {
  HttpRequest request;
  EXPECT_EQ(ParseRequestTarget("", &request).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRequestTarget("*", &request).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRequestTarget("ping", &request).code(), StatusCode::kInvalidArgument);
  Status bad = ParseRequestTarget("/x?a=%zz", &request);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("query parameter 'a'"), std::string::npos) << bad.message();
  EXPECT_EQ(ParseRequestTarget("/x?a=%4", &request).code(), StatusCode::kInvalidArgument);
}

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(*PercentDecode("a%20b%2fc+d", false), "a b/c+d");
  EXPECT_EQ(*PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*PercentDecode("%00", false), std::string(1, '\0'));
  auto bad = PercentDecode("ab%g1", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("offset 2"), std::string::npos);
}

}  // namespace
}  // namespace grove::api
