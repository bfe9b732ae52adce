#include "api/s3/s3_routes.h"

#include <gtest/gtest.h>

#include "api/request_target.h"
#include "common/file_util.h"
#include "common/md5.h"

namespace grove::api::s3 {
namespace {

using api::HttpRequest;
using api::HttpResponse;

// The S3 routes behind a Grove route, over a fresh data folder, called
// through the router as the server would.
class S3RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto home = app::Home::Open(dir_.path() / "home");
    ASSERT_TRUE(home.ok()) << home.status().ToString();
    home_ = std::move(home).value();
    objects_ = std::make_unique<app::ObjectStore>(*home_);
    ASSERT_TRUE(router_.Add("GET", "/ping", [](const HttpRequest&) { return api::TextResponse(200, "pong"); }).ok());
    ASSERT_TRUE(router_.Add("POST", "/endpoints/{name}/invocations", [](const HttpRequest&) {
      return api::TextResponse(200, "invoked");
    }).ok());
    ASSERT_TRUE(AddS3Routes(&router_, objects_.get()).ok());
    ASSERT_EQ(Call("PUT", "/data").status, 200);
  }

  HttpResponse Call(const std::string& method, const std::string& target, std::string body = "",
                    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    HttpRequest request;
    request.method = method;
    EXPECT_TRUE(api::ParseRequestTarget(target, &request).ok()) << target;
    request.body = std::move(body);
    for (const auto& [name, value] : headers) request.headers.Add(name, value);
    return router_.Route(&request);
  }

  TempDir dir_;
  std::unique_ptr<app::Home> home_;
  std::unique_ptr<app::ObjectStore> objects_;
  api::Router router_;
};

TEST_F(S3RoutesTest, GroveRoutesWinAndReserveTheirNames) {
  EXPECT_EQ(Call("GET", "/ping").body, "pong");
  EXPECT_EQ(Call("POST", "/endpoints/e/invocations").body, "invoked");
  EXPECT_EQ(ReservedBucketNames(router_), (std::set<std::string>{"endpoints", "ping"}));
  HttpResponse reserved = Call("PUT", "/ping");
  EXPECT_EQ(reserved.status, 400);
  EXPECT_NE(reserved.body.find("<Code>InvalidBucketName</Code>"), std::string::npos);
  EXPECT_NE(Call("PUT", "/Bad_Name").body.find("InvalidBucketName"), std::string::npos);
  HttpResponse again = Call("PUT", "/data/");  // Trailing slash, as some clients send.
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("<Code>BucketAlreadyOwnedByYou</Code>"), std::string::npos);
  EXPECT_NE(Call("GET", "/").body.find("<Name>data</Name>"), std::string::npos);
  EXPECT_EQ(Call("HEAD", "/data").status, 200);
  HttpResponse missing = Call("HEAD", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.body.empty());
}

TEST_F(S3RoutesTest, KeysArePercentDecodedWithoutPlusAsSpace) {
  HttpResponse put = Call("PUT", "/data/dir/a%20b%2Bc+d.txt", "hello", {{"Content-Type", "text/plain"},
                                                                         {"x-amz-meta-owner", "ana"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(*put.headers.Get("ETag"), "\"" + Md5::HexOf("hello") + "\"");
  EXPECT_TRUE(objects_->HeadObject("data", "dir/a b+c+d.txt").ok());
  HttpResponse get = Call("GET", "/data/dir/a%20b%2Bc+d.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello");
  EXPECT_EQ(get.content_type, "text/plain");
  EXPECT_EQ(*get.headers.Get("x-amz-meta-owner"), "ana");
  EXPECT_TRUE(get.headers.Has("Last-Modified"));
}

TEST_F(S3RoutesTest, RangesHeadsAndIfMatch) {
  ASSERT_EQ(Call("PUT", "/data/r", "0123456789").status, 200);
  std::string etag = "\"" + Md5::HexOf("0123456789") + "\"";
  HttpResponse slice = Call("GET", "/data/r", "", {{"Range", "bytes=2-4"}, {"If-Match", etag}});
  EXPECT_EQ(slice.status, 206);
  EXPECT_EQ(slice.body, "234");
  EXPECT_EQ(*slice.headers.Get("Content-Range"), "bytes 2-4/10");
  HttpResponse tail = Call("GET", "/data/r", "", {{"Range", "bytes=8-"}});
  EXPECT_EQ(*tail.headers.Get("Content-Range"), "bytes 8-9/10");
  HttpResponse past = Call("GET", "/data/r", "", {{"Range", "bytes=10-"}});
  EXPECT_EQ(past.status, 416);
  EXPECT_NE(past.body.find("<Code>InvalidRange</Code>"), std::string::npos);
  EXPECT_EQ(Call("GET", "/data/r", "", {{"If-Match", "\"other\""}}).status, 412);

  HttpResponse head = Call("HEAD", "/data/r");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.head_content_length, 10u);
  EXPECT_EQ(*head.headers.Get("ETag"), etag);
  HttpResponse no_key = Call("HEAD", "/data/nope");
  EXPECT_EQ(no_key.status, 404);
  EXPECT_TRUE(no_key.body.empty());
  HttpResponse get_missing = Call("GET", "/data/nope");
  EXPECT_EQ(get_missing.status, 404);
  EXPECT_NE(get_missing.body.find("<Code>NoSuchKey</Code>"), std::string::npos);
  EXPECT_NE(get_missing.body.find("<Key>nope</Key>"), std::string::npos);
  EXPECT_NE(Call("GET", "/other/k").body.find("<Code>NoSuchBucket</Code>"), std::string::npos);
}

TEST_F(S3RoutesTest, ListObjectsV2PagesWithTokensAndCommonPrefixes) {
  for (const char* key : {"a", "p/1", "p/2", "p/q/3", "z"}) ASSERT_EQ(Call("PUT", std::string("/data/") + key, "x").status, 200);
  HttpResponse first = Call("GET", "/data?list-type=2&max-keys=2&encoding-type=url");
  EXPECT_EQ(first.content_type, "application/xml");
  EXPECT_NE(first.body.find("<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"),
            std::string::npos);
  EXPECT_NE(first.body.find("<NextContinuationToken>p/1</NextContinuationToken>"), std::string::npos);
  HttpResponse second = Call("GET", "/data?continuation-token=p%2F1&list-type=2&max-keys=2");
  EXPECT_NE(second.body.find("<Key>p/2</Key><LastModified>"), std::string::npos);
  EXPECT_NE(second.body.find("<Key>p/q/3</Key>"), std::string::npos);
  HttpResponse folders = Call("GET", "/data?list-type=2&prefix=p%2F&delimiter=%2F");
  EXPECT_NE(folders.body.find("<CommonPrefixes><Prefix>p/q/</Prefix></CommonPrefixes>"), std::string::npos);
  EXPECT_NE(folders.body.find("<IsTruncated>false</IsTruncated>"), std::string::npos);
  EXPECT_EQ(Call("GET", "/data?list-type=2&max-keys=x").status, 400);
  EXPECT_NE(Call("GET", "/data?location").body.find("<LocationConstraint"), std::string::npos);
  HttpResponse acl = Call("GET", "/data/a?acl");
  EXPECT_EQ(acl.status, 501);
  EXPECT_NE(acl.body.find("<Code>NotImplemented</Code>"), std::string::npos);
}

TEST_F(S3RoutesTest, CopyDeleteAndMultipart) {
  ASSERT_EQ(Call("PUT", "/data/src", "bytes").status, 200);
  HttpResponse copy = Call("PUT", "/data/dst", "", {{"x-amz-copy-source", "/data/src"}});
  EXPECT_EQ(copy.status, 200);
  EXPECT_NE(copy.body.find("<CopyObjectResult"), std::string::npos);
  EXPECT_EQ(Call("GET", "/data/dst").body, "bytes");
  HttpResponse no_source = Call("PUT", "/data/dst", "", {{"x-amz-copy-source", "data/nope"}});
  EXPECT_NE(no_source.body.find("<Key>nope</Key>"), std::string::npos);
  EXPECT_EQ(Call("DELETE", "/data/dst").status, 204);
  EXPECT_EQ(Call("GET", "/data/dst").status, 404);

  HttpResponse started = Call("POST", "/data/big?uploads");
  ASSERT_EQ(started.status, 200) << started.body;
  size_t at = started.body.find("<UploadId>") + 10;
  std::string id = started.body.substr(at, started.body.find("</UploadId>") - at);
  HttpResponse part = Call("PUT", "/data/big?uploadId=" + id + "&partNumber=1", "only part");
  ASSERT_EQ(part.status, 200) << part.body;
  std::string etag(*part.headers.Get("ETag"));
  HttpResponse done = Call("POST", "/data/big?uploadId=" + id,
                           "<CompleteMultipartUpload><Part><ETag>" + etag + "</ETag><PartNumber>1</PartNumber></Part>"
                           "</CompleteMultipartUpload>");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("-1&quot;</ETag>"), std::string::npos);
  EXPECT_EQ(Call("GET", "/data/big").body, "only part");
  HttpResponse gone = Call("PUT", "/data/big?uploadId=" + id + "&partNumber=2", "x");
  EXPECT_NE(gone.body.find("<Code>NoSuchUpload</Code>"), std::string::npos);
  EXPECT_EQ(Call("POST", "/data/big?uploadId=" + id, "junk").status, 400);

  HttpResponse full = Call("DELETE", "/data");
  EXPECT_EQ(full.status, 409);
  EXPECT_NE(full.body.find("<Code>BucketNotEmpty</Code>"), std::string::npos);
}

}  // namespace
}  // namespace grove::api::s3
