#include "api/auth/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/sha256.h"

namespace grove::api::auth {
namespace {

// One case of testdata/aws_sigv4_suite.txt (see testdata/README.md).
struct SuiteCase {
  std::string name;
  std::string method;
  std::string path;   // Unencoded, as the suite writes it.
  std::string query;  // The raw text after '?'.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string creq, sts, authz;
};

std::vector<SuiteCase> LoadSuite() {
  auto text = ReadFile(std::string(GROVE_SOURCE_DIR) + "/src/api/auth/testdata/aws_sigv4_suite.txt");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  std::vector<SuiteCase> cases;
  if (!text.ok()) return cases;
  std::string_view rest = *text;
  // Splits off the text up to the next "\n-- " or "\n== " marker (or the end, without its newline).
  auto take_part = [&rest]() {
    size_t end = std::min(rest.find("\n-- "), rest.find("\n== "));
    std::string part(rest.substr(0, end == std::string_view::npos ? rest.size() - 1 : end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    return part;
  };
  auto skip_line = [&rest]() { rest.remove_prefix(rest.find('\n') + 1); };
  while (rest.substr(0, 3) == "== ") {
    SuiteCase c;
    c.name = std::string(rest.substr(3, rest.find('\n') - 3));
    skip_line();
    std::map<std::string, std::string> parts;
    while (rest.substr(0, 3) == "-- ") {
      std::string part_name(rest.substr(3, rest.find('\n') - 3));
      skip_line();
      parts[part_name] = take_part();
    }
    const std::string& req = parts["req"];
    size_t blank = req.find("\n\n");
    std::string head = req.substr(0, blank);
    c.body = req.substr(blank + 2);
    size_t line_end = head.find('\n');
    std::string line = head.substr(0, line_end);
    c.method = line.substr(0, line.find(' '));
    std::string target = line.substr(c.method.size() + 1, line.rfind(" HTTP/1.1") - c.method.size() - 1);
    c.path = target.substr(0, target.find('?'));
    c.query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
    for (size_t at = line_end; at != std::string::npos && at + 1 < head.size();) {
      size_t next = head.find('\n', at + 1);
      std::string field = head.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
      c.headers.emplace_back(field.substr(0, field.find(':')), field.substr(field.find(':') + 1));
      at = next;
    }
    c.creq = parts["creq"];
    c.sts = parts["sts"];
    c.authz = parts["authz"];
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(SigV4Suite, CanonicalRequestStringToSignAndSignatureOfEveryCase) {
  std::vector<SuiteCase> cases = LoadSuite();
  ASSERT_EQ(cases.size(), 26u);
  for (const SuiteCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto authorization = ParseAuthorization(c.authz);
    ASSERT_TRUE(authorization.ok()) << authorization.status().ToString();
    EXPECT_EQ(authorization->credential.access_key_id, "AKIDEXAMPLE");
    CanonicalRequestParts parts;
    parts.method = c.method;
    parts.uri = CanonicalUri(c.path, /*normalize=*/true);
    auto query = CanonicalQuery(c.query);
    ASSERT_TRUE(query.ok()) << query.status().ToString();
    parts.query = *query;
    auto headers = CanonicalHeaders(c.headers, authorization->signed_headers);
    ASSERT_TRUE(headers.ok()) << headers.status().ToString();
    parts.headers = *headers;
    parts.signed_headers = authorization->signed_headers;
    parts.payload_hash = Sha256::Of(c.body);
    std::string creq = CanonicalRequest(parts);
    EXPECT_EQ(creq, c.creq);
    std::string sts = StringToSign("20150830T123600Z", authorization->credential.Scope(), creq);
    EXPECT_EQ(sts, c.sts);
    std::string key = SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", authorization->credential);
    EXPECT_EQ(Signature(key, sts), authorization->signature);
  }
}

TEST(SigV4, ParsesTheAuthorizationHeader) {
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=GRVKABC/20261122/us-east-1/sagemaker/aws4_request, "
      "SignedHeaders=content-type;Host;x-amz-date, Signature=" + std::string(64, 'a'));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->credential.access_key_id, "GRVKABC");
  EXPECT_EQ(parsed->credential.Scope(), "20261122/us-east-1/sagemaker/aws4_request");
  EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"content-type", "host", "x-amz-date"}));

  EXPECT_FALSE(ParseAuthorization("AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/aws4_request").ok());
  EXPECT_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + std::string(64, 'a')).ok());
  EXPECT_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 Credential=k/20261122/us-east-1/s3, SignedHeaders=host, "
                                  "Signature=" + std::string(64, 'a')).ok());
  EXPECT_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 Credential=k/20261122/r/s3/aws4_request, SignedHeaders=host, "
                                  "Signature=xyz").ok());
}

TEST(SigV4, ParsesAmzDate) {
  auto t = ParseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1'440'938'160'000);
  EXPECT_FALSE(ParseAmzDate("2015-08-30T12:36:00Z").ok());
  EXPECT_FALSE(ParseAmzDate("20151330T123600Z").ok());
  EXPECT_FALSE(ParseAmzDate("20150830T123600").ok());
}

// S3 signs the decoded path encoded once and never normalises it; other
// services sign the path as sent (already encoded) normalised and encoded again.
TEST(SigV4, CanonicalUriEncodesOnceWithoutOrWithNormalising) {
  EXPECT_EQ(CanonicalUri("/bucket/a b+c/../k", /*normalize=*/false), "/bucket/a%20b%2Bc/../k");
  EXPECT_EQ(CanonicalUri("/bucket//k/", false), "/bucket//k/");
  EXPECT_EQ(CanonicalUri("/endpoints/a%20b/invocations", true), "/endpoints/a%2520b/invocations");
  EXPECT_EQ(CanonicalUri("", true), "/");
  EXPECT_EQ(UriEncode("a/b~c", false), "a%2Fb~c");
}

TEST(SigV4, CanonicalQueryDecodesAndReencodes) {
  EXPECT_EQ(*CanonicalQuery("prefix=a%2Fb&list-type=2&encoding-type=url&uploads"),
            "encoding-type=url&list-type=2&prefix=a%2Fb&uploads=");
  EXPECT_EQ(*CanonicalQuery("k=a+b%20c"), "k=a%2Bb%20c");
  EXPECT_FALSE(CanonicalQuery("k=%zz").ok());
}

TEST(SigV4, AMissingSignedHeaderIsAnError) {
  auto headers = CanonicalHeaders({{"Host", "h"}}, {"host", "x-amz-date"});
  ASSERT_FALSE(headers.ok());
  EXPECT_NE(headers.status().message().find("x-amz-date"), std::string::npos);
}

TEST(SigV4, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace grove::api::auth
