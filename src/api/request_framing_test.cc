#include "api/request_framing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace grove::api {
namespace {

using ::testing::HasSubstr;

TEST(HeaderBlockEnd, FindsTheBlankLineAndWaitsForIt) {
  const std::string block = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
  EXPECT_EQ(*HeaderBlockEnd(block + "body"), block.size());
  for (size_t n = 0; n < block.size(); ++n) EXPECT_EQ(*HeaderBlockEnd(block.substr(0, n)), 0u) << n;
}

TEST(HeaderBlockEnd, ResumesWhereAShorterPrefixStopped) {
  const std::string block = "GET / HTTP/1.1\r\nHost: t\r\nX-A: b\r\n\r\n";
  size_t scanned = 0;
  for (size_t n = 1; n <= block.size(); ++n) {
    Result<size_t> end = HeaderBlockEnd(block.substr(0, n), scanned >= 3 ? scanned - 3 : 0);
    ASSERT_TRUE(end.ok()) << n;
    EXPECT_EQ(*end, n < block.size() ? 0u : block.size()) << n;
    scanned = n;
  }
  // A fold split across reads is still seen.
  std::string folded = "GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n";
  ASSERT_EQ(*HeaderBlockEnd(folded.substr(0, 24)), 0u);
  EXPECT_FALSE(HeaderBlockEnd(folded, 21).ok());
}

TEST(HeaderBlockEnd, RefusesBareLfCrAloneAndObsFold) {
  EXPECT_THAT(HeaderBlockEnd("GET / HTTP/1.1\nHost: t\n\n").status().message(), HasSubstr("bare LF"));
  EXPECT_THAT(HeaderBlockEnd("GET / HTTP/1.1\r\nHost: t\nX: y\r\n\r\n").status().message(),
              HasSubstr("(no CR before it) at byte 23"));
  EXPECT_THAT(HeaderBlockEnd("GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n").status().message(), HasSubstr("CR without LF"));
  EXPECT_THAT(HeaderBlockEnd("GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n").status().message(), HasSubstr("obs-fold"));
  EXPECT_THAT(HeaderBlockEnd("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n").status().message(),
              HasSubstr("obs-fold"));
  EXPECT_FALSE(HeaderBlockEnd("GET / HTTP/1.1\r\n\r\r").ok());
}

TEST(CheckTransferEncoding, OnlyChunkedAloneOnHttp11) {
  EXPECT_TRUE(CheckTransferEncoding({}, 11).ok());
  EXPECT_TRUE(CheckTransferEncoding({}, 10).ok());
  EXPECT_TRUE(CheckTransferEncoding({"chunked"}, 11).ok());
  EXPECT_TRUE(CheckTransferEncoding({"Chunked "}, 11).ok());
  EXPECT_TRUE(CheckTransferEncoding({" chunked,"}, 11).ok());  // An empty list element is no coding.
  for (const std::vector<std::string_view>& bad :
       std::vector<std::vector<std::string_view>>{{"gzip"}, {"gzip, chunked"}, {"chunked, gzip"}, {"xchunked"},
                                                  {"chunked", "chunked"}, {"gzip", "chunked"}, {""}, {"identity"}}) {
    Status status = CheckTransferEncoding(bad, 11);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad[0];
    EXPECT_THAT(status.message(), HasSubstr("framed by Content-Length or by 'Transfer-Encoding: chunked' alone"));
  }
  EXPECT_THAT(CheckTransferEncoding({"chunked"}, 10).message(), HasSubstr("HTTP/1.0"));
}

}  // namespace
}  // namespace grove::api
