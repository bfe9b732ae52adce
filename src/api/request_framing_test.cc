#include "api/request_framing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
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

// The rule a byte at a time, as the specification reads: HeaderBlockEnd must
// give the same answer (end, wait, or the same error at the same byte).
Result<size_t> ByteByByte(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\n' && (i == 0 || bytes[i - 1] != '\r')) return Status::InvalidArgument("LF " + std::to_string(i));
    if (c != '\r') continue;
    if (i + 1 >= bytes.size()) return size_t{0};
    if (bytes[i + 1] != '\n') return Status::InvalidArgument("CR " + std::to_string(i));
    if (i + 2 >= bytes.size()) return size_t{0};
    if (bytes[i + 2] == ' ' || bytes[i + 2] == '\t') return Status::InvalidArgument("fold " + std::to_string(i + 2));
    if (bytes[i + 2] != '\r') continue;
    if (i + 3 >= bytes.size()) return size_t{0};
    if (bytes[i + 3] != '\n') return Status::InvalidArgument("CR " + std::to_string(i + 2));
    return i + 4;
  }
  return size_t{0};
}

std::string Outcome(const Result<size_t>& r) {
  if (r.ok()) return "end " + std::to_string(*r);
  const std::string& m = r.status().message();  // "... at byte N of the header" or the reference's "KIND N".
  const std::string kind = m.find("bare LF") != std::string::npos || m.starts_with("LF") ? "LF"
                           : m.find("fold") != std::string::npos                         ? "fold"
                                                                                         : "CR";
  const size_t digits = m.find_first_of("0123456789");
  return kind + " " + m.substr(digits, m.find_first_not_of("0123456789", digits) - digits);
}

TEST(HeaderBlockEnd, AgreesWithTheByteByByteRuleOnRandomBlocks) {
  std::mt19937 random(7);
  const std::string alphabet = "ab: \t\r\n\r\n";  // Line ends often enough to end blocks.
  for (int trial = 0; trial < 20000; ++trial) {
    std::string bytes;
    const size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) bytes += alphabet[random() % alphabet.size()];
    const std::string expected = Outcome(ByteByByte(bytes));
    ASSERT_EQ(Outcome(HeaderBlockEnd(bytes)), expected) << testing::PrintToString(bytes);
    // Fed in pieces, resuming as the server does, the answer is the same.
    size_t scanned = 0;
    Result<size_t> got = size_t{0};
    for (size_t n = 0; n <= bytes.size(); n += 1 + random() % 4) {
      got = HeaderBlockEnd(std::string_view(bytes).substr(0, n), scanned >= 3 ? scanned - 3 : 0);
      if (!got.ok() || *got > 0) break;
      scanned = n;
    }
    if (got.ok() && *got == 0) got = HeaderBlockEnd(bytes, scanned >= 3 ? scanned - 3 : 0);
    ASSERT_EQ(Outcome(got), expected) << "in pieces: " << testing::PrintToString(bytes);
  }
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
