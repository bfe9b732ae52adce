#include "api/auth/authenticator.h"

#include <gtest/gtest.h>

#include "api/auth/auth_test_util.h"
#include "api/auth/aws_chunked.h"
#include "common/clock.h"
#include "common/file_util.h"
#include "common/json.h"

namespace grove::api::auth {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr TimeMs kSuiteTime = 1'440'938'160'000;  // 20150830T123600Z.

class KeyAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_.Add({"AKIDEXAMPLE", kSuiteSecret, Role::kOperator, "suite", 1, 0});
    keys_.Add({"GRVKVIEWER0000000000", "viewer-secret-0123456789012345678901234", Role::kViewer, "vera", 1, 0});
  }
  AuthOutcome Run(const std::string& method, const std::string& path, const std::string& query,
                  const Headers& headers, const std::string& body = "") {
    RequestView view{method, path, query, &headers, body};
    return authenticator_.Authenticate(view);
  }
  // A request to `service` signed now with the suite's key.
  Headers Signed(const std::string& method, const std::string& path, const std::string& query,
                 const std::string& body, const std::string& service, Headers headers = {},
                 const std::string& amz_date = "20150830T123600Z", const std::string& secret = kSuiteSecret) {
    headers.emplace_back("Host", "127.0.0.1:8080");
    SignHeaders(&headers, method, path, query, body, "AKIDEXAMPLE", secret, amz_date, service);
    return headers;
  }

  FakeKeySource keys_;
  FakeClock clock_{kSuiteTime};
  KeyAuthenticator authenticator_{&keys_, &clock_};
};

// The suite's requests whose paths need no encoding on the wire, verified
// whole: parsing, canonical form, key lookup and signature.
TEST_F(KeyAuthenticatorTest, AcceptsTheSuiteRequests) {
  struct Case {
    std::string method, path, query;
    Headers headers;
    std::string body, signed_headers, signature;
  };
  const std::string date = "20150830T123600Z";
  std::vector<Case> cases = {
      {"GET", "/", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", date}}, "", "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"GET", "/", "Param2=value2&Param1=value1", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", date}}, "",
       "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"GET", "//example//", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", date}}, "", "host;x-amz-date",
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
      {"GET", "/", "",
       {{"Host", "example.amazonaws.com"}, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""},
        {"X-Amz-Date", date}},
       "", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"POST", "/", "",
       {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "example.amazonaws.com"},
        {"X-Amz-Date", date}},
       "Param1=value1", "content-type;host;x-amz-date",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
  };
  for (Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + "?" + c.query);
    c.headers.emplace_back("Authorization",
                           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                           "SignedHeaders=" + c.signed_headers + ", Signature=" + c.signature);
    AuthOutcome outcome = Run(c.method, c.path, c.query, c.headers, c.body);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.caller.identity, "suite");
    EXPECT_EQ(outcome.caller.role, Role::kOperator);
    // One byte changed in the body breaks it.
    EXPECT_EQ(Run(c.method, c.path, c.query, c.headers, c.body + "x").error, AuthError::kBadSignature);
  }
}

TEST_F(KeyAuthenticatorTest, SignaturesOfEachServiceRule) {
  Headers sagemaker = Signed("POST", "/", "", "{}", "sagemaker", {{"X-Amz-Target", "SageMaker.ListPipelines"}});
  EXPECT_TRUE(Run("POST", "/", "", sagemaker, "{}").ok());
  // S3 signs the decoded path, once encoded; other services sign the encoded path encoded again.
  Headers s3 = Signed("GET", "/bucket/a%20b%2Bc/k.json", "list-type=2&prefix=a%2F", "", "s3");
  EXPECT_TRUE(Run("GET", "/bucket/a%20b%2Bc/k.json", "list-type=2&prefix=a%2F", s3).ok());
  Headers runtime = Signed("POST", "/endpoints/e%2Dx/invocations", "", "1,2", "sagemaker");
  EXPECT_TRUE(Run("POST", "/endpoints/e%2Dx/invocations", "", runtime, "1,2").ok());
  EXPECT_EQ(Run("POST", "/endpoints/e-x/invocations", "", runtime, "1,2").error, AuthError::kBadSignature);
}

TEST_F(KeyAuthenticatorTest, RefusesAWrongSecretOrUnknownKey) {
  Headers wrong = Signed("GET", "/", "", "", "s3", {}, "20150830T123600Z", "not-the-secret");
  EXPECT_EQ(Run("GET", "/", "", wrong).error, AuthError::kBadSignature);
  Headers unknown = {{"Host", "h"}};
  SignHeaders(&unknown, "GET", "/", "", "", "GRVKNOSUCHKEY0000000", kSuiteSecret, "20150830T123600Z", "s3");
  AuthOutcome outcome = Run("GET", "/", "", unknown);
  EXPECT_EQ(outcome.error, AuthError::kUnknownKey);
  EXPECT_NE(outcome.message.find("GRVKNOSUCHKEY0000000"), std::string::npos);
}

TEST_F(KeyAuthenticatorTest, TheDateMustBeWithinFifteenMinutes) {
  Headers headers = Signed("GET", "/", "", "", "s3");
  clock_.Set(kSuiteTime + kMaxClockSkewMs);
  EXPECT_TRUE(Run("GET", "/", "", headers).ok());
  clock_.Set(kSuiteTime + kMaxClockSkewMs + 1000);
  AuthOutcome late = Run("GET", "/", "", headers);
  EXPECT_EQ(late.error, AuthError::kExpired);
  EXPECT_NE(late.message.find("20150830T123600Z"), std::string::npos) << late.message;
  clock_.Set(kSuiteTime - kMaxClockSkewMs - 1000);
  EXPECT_EQ(Run("GET", "/", "", headers).error, AuthError::kExpired);
}

TEST_F(KeyAuthenticatorTest, TheScopeDateMustBeTheRequestDate) {
  Headers headers = {{"Host", "h"}, {"X-Amz-Date", "20150830T123600Z"},
                     {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150829/us-east-1/s3/aws4_request, "
                                       "SignedHeaders=host;x-amz-date, Signature=" + std::string(64, '0')}};
  EXPECT_EQ(Run("GET", "/", "", headers).error, AuthError::kBadSignature);
}

TEST_F(KeyAuthenticatorTest, ThePayloadHashMustMatchTheBody) {
  Headers good = Signed("PUT", "/b/k", "", "data", "s3", {{"X-Amz-Content-SHA256", Sha256::Of("data")}});
  EXPECT_TRUE(Run("PUT", "/b/k", "", good, "data").ok());
  AuthOutcome mismatch = Run("PUT", "/b/k", "", good, "other");
  EXPECT_EQ(mismatch.error, AuthError::kPayloadMismatch);
  Headers unsigned_payload = Signed("PUT", "/b/k", "", "", "s3", {{"X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"}});
  EXPECT_TRUE(Run("PUT", "/b/k", "", unsigned_payload, "any body").ok());
  Headers trailer = Signed("PUT", "/b/k", "", "", "s3",
                           {{"X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}});
  EXPECT_EQ(Run("PUT", "/b/k", "", trailer, "x").error, AuthError::kMalformed);
}

TEST_F(KeyAuthenticatorTest, MissingMalformedAndPresigned) {
  EXPECT_EQ(Run("GET", "/", "", {{"Host", "h"}}).error, AuthError::kMissing);
  EXPECT_EQ(Run("GET", "/", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", {{"Host", "h"}}).error,
            AuthError::kMalformed);
  EXPECT_EQ(Run("GET", "/", "", {{"Authorization", "Basic dXNlcjpwdw=="}}).error, AuthError::kMalformed);
  Headers no_date = {{"Host", "h"},
                     {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
                                       "SignedHeaders=host, Signature=" + std::string(64, '0')}};
  EXPECT_EQ(Run("GET", "/", "", no_date).error, AuthError::kMalformed);
}

TEST_F(KeyAuthenticatorTest, BearerTakesASecret) {
  AuthOutcome viewer = Run("GET", "/api/v1/endpoints", "",
                           {{"Authorization", "Bearer viewer-secret-0123456789012345678901234"}});
  ASSERT_TRUE(viewer.ok()) << viewer.message;
  EXPECT_EQ(viewer.caller.identity, "vera");
  EXPECT_EQ(viewer.caller.access_key_id, "GRVKVIEWER0000000000");
  EXPECT_EQ(viewer.caller.role, Role::kViewer);
  EXPECT_EQ(Run("GET", "/api/v1/endpoints", "", {{"Authorization", "Bearer GRVKVIEWER0000000000"}}).error,
            AuthError::kUnknownKey);
}

// Requests signed by botocore 1.43 itself (testdata/botocore_signed.json):
// the SageMaker control plane, the runtime, and an S3 PUT of a key with a
// space and a '+' and a payload hash.
TEST(BotocoreSignatures, AreAccepted) {
  auto text = ReadFile(std::string(GROVE_SOURCE_DIR) + "/src/api/auth/testdata/botocore_signed.json");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Json captured = Json::parse(*text);
  FakeKeySource keys;
  keys.Add({"GRVKBOTOCORE00000000", "botocoreTestSecret0123456789abcdefghijKL", Role::kOperator, "boto", 1, 0});
  FakeClock clock(ParseAmzDate("20261122T215049Z").value() + 60'000);
  KeyAuthenticator authenticator(&keys, &clock);
  ASSERT_EQ(captured["requests"].size(), 3u);
  for (const Json& r : captured["requests"]) {
    std::string method = r["method"], path = r["path"], query = r["query"], body = r["body"];
    SCOPED_TRACE(method + " " + path);
    Headers headers;
    for (const Json& h : r["headers"]) headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    RequestView view{method, path, query, &headers, body};
    AuthOutcome outcome = authenticator.Authenticate(view);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.caller.identity, "boto");
    std::string changed = body + " ";
    view.body = changed;
    EXPECT_FALSE(authenticator.Authenticate(view).ok());
  }
}

// The example of AWS's S3 documentation, "Transferring Payload in Multiple
// Chunks": 66560 bytes of 'a' in chunks of 65536, 1024 and 0 bytes.
TEST(StreamingPayload, VerifiesAndDecodesTheS3DocumentationExample) {
  FakeKeySource keys;
  keys.Add({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Role::kOperator, "docs", 1, 0});
  FakeClock clock(1'369'353'600'000);  // 20130524T000000Z.
  KeyAuthenticator authenticator(&keys, &clock);
  Headers headers = {
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
       "x-amz-decoded-content-length;x-amz-storage-class,"
       "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"Content-Length", "66824"},
  };
  std::string body = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
                     std::string(65536, 'a') +
                     "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
                     std::string(1024, 'a') +
                     "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
  ASSERT_EQ(body.size(), 66824u);
  RequestView view{"PUT", "/examplebucket/chunkObject.txt", "", &headers, body};
  AuthOutcome outcome = authenticator.Authenticate(view);
  ASSERT_TRUE(outcome.ok()) << outcome.message;
  ASSERT_TRUE(outcome.decoded_body.has_value());
  EXPECT_EQ(*outcome.decoded_body, std::string(66560, 'a'));

  std::string tampered = body;
  tampered[200] = 'b';
  view.body = tampered;
  outcome = authenticator.Authenticate(view);
  EXPECT_EQ(outcome.error, AuthError::kBadSignature);
  EXPECT_NE(outcome.message.find("chunk 1"), std::string::npos) << outcome.message;
  std::string truncated = body.substr(0, body.size() - 20);
  view.body = truncated;
  EXPECT_EQ(authenticator.Authenticate(view).error, AuthError::kBadSignature);
}

}  // namespace
}  // namespace grove::api::auth
