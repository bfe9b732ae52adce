#pragma once

// A small S3 client over libcurl, signed with libcurl's own AWS Signature
// Version 4 (CURLOPT_AWS_SIGV4), path-style (endpoint/bucket/key), for the S3
// artifact store: HEAD, GET (whole or a byte range, to a file), PUT (bytes or
// a file), and multipart upload for large files. Every request sends
// x-amz-content-sha256 (the payload's digest, or UNSIGNED-PAYLOAD for streamed
// bodies). Retries 5xx answers, throttling and transport errors with
// exponential backoff; 4xx answers are errors at once.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove::store {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // Sent as x-amz-security-token when not empty.

  // From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
  // InvalidArgument naming the variable when the key or secret is missing.
  static Result<S3Credentials> FromEnvironment();
};

// AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.
std::string RegionFromEnvironment();

struct S3ClientOptions {
  std::string endpoint;  // "http://127.0.0.1:9000" (no trailing '/'); "https://s3.<region>.amazonaws.com".
  std::string region;    // Signing region; empty: RegionFromEnvironment().
  S3Credentials credentials;
  int max_attempts = 5;            // Tries per request, the first included.
  int first_backoff_ms = 100;      // Doubles each retry.
  long timeout_seconds = 300;      // Per request.
  uint64_t part_size = 16 << 20;   // Multipart uploads above this size, in parts of it (S3's minimum: 5 MiB).
};

class S3Client {
 public:
  explicit S3Client(S3ClientOptions options);

  // Whether the object exists.
  Result<bool> Exists(const std::string& bucket, const std::string& key);
  // Writes the object (or bytes [first, last] of it) to `to`, replacing it.
  // NotFound when the object does not exist.
  Status GetToFile(const std::string& bucket, const std::string& key, const std::filesystem::path& to,
                   std::optional<std::pair<uint64_t, uint64_t>> range = std::nullopt);
  Result<std::string> GetBytes(const std::string& bucket, const std::string& key);
  Status PutBytes(const std::string& bucket, const std::string& key, std::string_view bytes);
  // One PUT for files up to part_size, a multipart upload above (aborted on failure).
  Status PutFile(const std::string& bucket, const std::string& key, const std::filesystem::path& from);
  // Creates the bucket; OK when it exists already and is ours.
  Status CreateBucket(const std::string& bucket);

  const S3ClientOptions& options() const { return options_; }

 private:
  struct Request;
  struct Response {
    long status = 0;
    std::string body;
    std::string etag;
  };
  Result<Response> Send(const Request& request);
  Result<Response> SendOnce(const Request& request);
  std::string Url(const std::string& bucket, const std::string& key, const std::string& query) const;
  Status PutMultipart(const std::string& bucket, const std::string& key, const std::filesystem::path& from,
                      uint64_t size);

  S3ClientOptions options_;
};

}  // namespace grove::store
