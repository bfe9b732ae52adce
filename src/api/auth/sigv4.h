#pragma once

// AWS Signature Version 4, as pure functions over strings: the canonical
// request, the string to sign, the signing key and the signature, plus the
// parsing of the Authorization header and X-Amz-Date. Nothing here knows HTTP
// servers, keys or clocks; authenticator.h puts these together for a request.
// The rules follow AWS's "Create a signed AWS API request" and the
// aws-sig-v4-test-suite vectors in testdata/ (sigv4_test.cc).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace grove::api::auth {

// "AWS4-HMAC-SHA256": the only signing algorithm accepted.
inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
// SHA-256 of the empty string, in hex.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The credential scope: <access key id>/<yyyymmdd>/<region>/<service>/aws4_request.
struct CredentialScope {
  std::string access_key_id;
  std::string date;     // "20150830".
  std::string region;   // "us-east-1".
  std::string service;  // "s3", "sagemaker", ...
  // "<date>/<region>/<service>/aws4_request" (without the key id).
  std::string Scope() const;
};

// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=hex`.
struct SigV4Authorization {
  CredentialScope credential;
  std::vector<std::string> signed_headers;  // Lowercase, as listed.
  std::string signature;                    // Lowercase hex.
};

// Parses the Authorization header value. InvalidArgument names what is missing
// or malformed (another algorithm, no Credential, a scope without 5 parts, ...).
Result<SigV4Authorization> ParseAuthorization(std::string_view header);

// Parses X-Amz-Date's basic ISO-8601 form "20150830T123600Z" into ms since
// the epoch. InvalidArgument for any other form.
Result<TimeMs> ParseAmzDate(std::string_view text);

// Percent-decodes `text` ('+' stays '+', as AWS reads paths and queries).
// InvalidArgument names the offset of a '%' without two hex digits.
Result<std::string> UriDecode(std::string_view text);

// AWS's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX
// (uppercase hex); '/' is kept when `keep_slash`.
std::string UriEncode(std::string_view bytes, bool keep_slash);

// The canonical URI of `path`, encoded once with UriEncode (slashes kept).
// With `normalize`, '.' and '..' segments and repeated slashes are removed
// first (every service but S3). An empty path is "/".
// The caller picks what to pass: services other than S3 sign the path as sent
// (already percent-encoded, so it is encoded twice); S3 signs the decoded path.
std::string CanonicalUri(std::string_view path, bool normalize);

// The canonical query string of a raw query (the text after '?'): each name
// and value percent-decoded ('+' stays '+') and re-encoded with UriEncode,
// sorted by name, then value, joined as "a=1&b=". InvalidArgument for a bad
// %-escape.
Result<std::string> CanonicalQuery(std::string_view raw_query);

// The canonical headers block for `signed_headers` (lowercase, sorted as the
// client listed them): "name:value\n" for each, the values of repeated fields
// joined by ',', each trimmed with inner runs of spaces folded to one.
// InvalidArgument names a signed header the request lacks.
Result<std::string> CanonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                                     const std::vector<std::string>& signed_headers);

// The canonical request's six lines, joined by '\n'.
struct CanonicalRequestParts {
  std::string method;
  std::string uri;      // From CanonicalUri.
  std::string query;    // From CanonicalQuery.
  std::string headers;  // From CanonicalHeaders (ends with '\n').
  std::vector<std::string> signed_headers;
  std::string payload_hash;  // Hex SHA-256 of the body, or e.g. "UNSIGNED-PAYLOAD".
};
std::string CanonicalRequest(const CanonicalRequestParts& parts);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>".
std::string StringToSign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);

// HMAC-SHA256 of `data` under `key` (raw bytes in, 32 raw bytes out).
std::string HmacSha256(std::string_view key, std::string_view data);
// The raw signing key: HMAC chain over "AWS4"+secret, date, region, service, "aws4_request".
std::string SigningKey(std::string_view secret, const CredentialScope& scope);
// Hex HMAC-SHA256 of `string_to_sign` under `signing_key`.
std::string Signature(std::string_view signing_key, std::string_view string_to_sign);

// Compares two strings in time that depends on their lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace grove::api::auth
