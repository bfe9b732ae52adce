#include "api/console_routes.h"

#include <gtest/gtest.h>

#include "web/console_assets.h"

namespace grove::api {
namespace {

HttpRequest Get(std::string path, std::map<std::string, std::string> headers = {}, std::string method = "GET") {
  HttpRequest request;
  request.method = std::move(method);
  request.target = path;
  request.path = std::move(path);
  for (auto& [name, value] : headers) request.headers.Add(name, value);
  return request;
}

class ConsoleRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(AddConsoleRoutes(&router_).ok());
    // What S3 answers at "/" and "/{bucket}/{key...}" when the console does not take the request.
    ASSERT_TRUE(router_.Add("GET", "/", [](const HttpRequest&) { return TextResponse(200, "buckets", "application/xml"); }).ok());
    ASSERT_TRUE(router_.Add("GET", "/{bucket}/{key...}", [](const HttpRequest&) { return TextResponse(200, "object"); }).ok());
  }
  HttpResponse Call(HttpRequest request) { return router_.Route(&request); }
  Router router_;
};

TEST_F(ConsoleRoutesTest, ABrowserGetsThePageAndS3ClientsTheirBuckets) {
  HttpResponse page = Call(Get("/", {{"Accept", "text/html,*/*"}}));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<!doctype html>"), std::string::npos);
  EXPECT_EQ(page.headers.Get("Cache-Control"), "no-cache");
  EXPECT_NE(std::string(page.headers.Get("Content-Security-Policy").value_or("")).find("default-src 'self'"),
            std::string::npos);
  // Signed, or not asking for HTML: S3's ListBuckets.
  EXPECT_EQ(Call(Get("/", {{"Accept", "text/html"}, {"Authorization", "AWS4-HMAC-SHA256 ..."}})).body, "buckets");
  EXPECT_EQ(Call(Get("/", {{"Accept", "*/*"}})).body, "buckets");
  EXPECT_EQ(Call(Get("/")).body, "buckets");
  // The page at a path of its own too.
  EXPECT_EQ(Call(Get("/ui/")).body, page.body);
  EXPECT_EQ(Call(Get("/ui/index.html")).body, page.body);
}

TEST_F(ConsoleRoutesTest, AssetsAreGzippedForClientsThatAcceptIt) {
  for (const web::Asset& asset : web::ConsoleAssets()) {
    if (!asset.immutable) continue;
    const std::string path = "/ui/" + std::string(asset.path);
    HttpResponse gz = Call(Get(path, {{"Accept-Encoding", "gzip, deflate, br"}}));
    ASSERT_EQ(gz.status, 200) << path;
    EXPECT_EQ(gz.headers.Get("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.body, asset.data);
    EXPECT_EQ(gz.headers.Get("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(gz.content_type, asset.content_type);
    HttpResponse plain = Call(Get(path));
    EXPECT_FALSE(plain.headers.Has("Content-Encoding"));
    EXPECT_EQ(plain.body.size(), asset.size);
  }
}

TEST_F(ConsoleRoutesTest, UnknownFilesAre404NotS3Objects) {
  HttpResponse missing = Call(Get("/ui/assets/nope.js"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("the console has no file 'assets/nope.js'"), std::string::npos);
  EXPECT_EQ(Call(Get("/ui/other")).status, 404);
  EXPECT_EQ(Call(Get("/ui/assets/../index.html")).status, 404);
  // Other paths still reach S3.
  EXPECT_EQ(Call(Get("/bucket/key")).body, "object");
}

TEST(ConsoleRequest, OnlyReadsOfTheConsolesPaths) {
  EXPECT_TRUE(IsConsoleRequest(Get("/ui/assets/a.js")));
  EXPECT_TRUE(IsConsoleRequest(Get("/ui", {}, "HEAD")));
  EXPECT_TRUE(IsConsoleRequest(Get("/", {{"Accept", "TEXT/HTML"}})));
  EXPECT_FALSE(IsConsoleRequest(Get("/ui/assets/a.js", {}, "PUT")));
  EXPECT_FALSE(IsConsoleRequest(Get("/uix/a")));
  EXPECT_FALSE(IsConsoleRequest(Get("/", {{"Accept", "text/html"}}, "POST")));
}

}  // namespace
}  // namespace grove::api
