#include "api/s3/s3_wire.h"

#include <gtest/gtest.h>

namespace grove::api::s3 {
namespace {

TEST(S3WireTest, RangesAsDownloadFileSendsThem) {
  auto closed = ParseRange("bytes=0-8388607");
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ(closed->first, 0);
  EXPECT_EQ(closed->last, 8388607);
  auto open = ParseRange("bytes=16777216-");
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->first, 16777216);
  EXPECT_FALSE(open->last.has_value());
  auto suffix = ParseRange("bytes=-500");
  ASSERT_TRUE(suffix.has_value());
  EXPECT_EQ(suffix->suffix, 500);
  // Anything else is ignored: the whole object is sent.
  for (const char* ignored : {"", "items=0-1", "bytes=0-1,4-5", "bytes=5-2", "bytes=a-b", "bytes=-", "bytes=1",
                              "bytes=-1-2"}) {
    EXPECT_FALSE(ParseRange(ignored).has_value()) << ignored;
  }
}

TEST(S3WireTest, DatesHeadersAndCopySources) {
  EXPECT_EQ(HttpDate(1'795'384'293'000), "Sun, 22 Nov 2026 21:51:33 GMT");
  api::HttpHeaders headers;
  headers.Add("Content-Type", "text/csv");
  headers.Add("X-Amz-Meta-Owner", "ana");
  headers.Add("x-amz-meta-", "no name");
  headers.Add("x-amz-date", "20261122T000000Z");
  app::ObjectContent content = ContentFromHeaders(headers);
  EXPECT_EQ(content.content_type, "text/csv");
  EXPECT_EQ(content.metadata, (std::map<std::string, std::string>{{"owner", "ana"}}));

  auto source = ParseCopySource("/b/dir/a%20b%2Bc.txt?versionId=3");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source->bucket, "b");
  EXPECT_EQ(source->key, "dir/a b+c.txt");
  EXPECT_EQ(ParseCopySource("b/k")->key, "k");
  for (const char* bad : {"b", "/b/", "/k", "%zz/k"}) {
    EXPECT_EQ(ParseCopySource(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(S3WireTest, StatusesBecomeS3Errors) {
  auto missing = StatusErrorResponse(store::ObjectErrorStatus(store::ObjectError::kNoSuchKey, "'k' in 'b'"),
                                     {"b", "k", ""});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/xml");
  EXPECT_NE(missing.body.find("<Code>NoSuchKey</Code>"), std::string::npos);
  EXPECT_NE(missing.body.find("<Key>k</Key>"), std::string::npos);
  EXPECT_TRUE(missing.headers.Has("x-amz-request-id"));
  auto head = StatusErrorResponse(store::ObjectErrorStatus(store::ObjectError::kNoSuchKey, "k"), {}, /*head=*/true);
  EXPECT_EQ(head.status, 404);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(StatusErrorResponse(store::ObjectErrorStatus(store::ObjectError::kBucketExists, "b"), {}).status, 409);
  EXPECT_EQ(StatusErrorResponse(Status::InvalidArgument("bad"), {}).status, 400);
  auto io = StatusErrorResponse(Status::IOError("disk"), {});
  EXPECT_EQ(io.status, 500);
  EXPECT_NE(io.body.find("<Code>InternalError</Code>"), std::string::npos);
}

}  // namespace
}  // namespace grove::api::s3
