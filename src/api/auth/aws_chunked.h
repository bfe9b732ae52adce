#pragma once

// S3's signed streaming upload (X-Amz-Content-SHA256:
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD, Content-Encoding: aws-chunked): the body
// is a series of chunks "<hex size>;chunk-signature=<sig>\r\n<data>\r\n" ended
// by a chunk of size 0, each signed over the one before it, starting from the
// request's own signature. Trailing headers (the ...-PAYLOAD-TRAILER variants)
// are not supported.
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove::api::auth {

inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

// What signs a chunk: the request's signing key, X-Amz-Date and scope.
struct ChunkSigningContext {
  std::string signing_key;  // Raw, from SigningKey().
  std::string amz_date;     // "20130524T000000Z".
  std::string scope;        // "20130524/us-east-1/s3/aws4_request".
};

// "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous>\n<sha256 of ''>\n<sha256 of data>".
std::string ChunkStringToSign(const ChunkSigningContext& context, std::string_view previous_signature,
                              std::string_view chunk_data);

// Checks every chunk's signature, in order from `seed_signature` (the
// Authorization header's), and returns the data they carry. InvalidArgument
// names the first chunk that is malformed or whose signature does not match,
// or a body that does not end with the final, empty chunk.
Result<std::string> DecodeSignedChunks(std::string_view body, const ChunkSigningContext& context,
                                       std::string seed_signature);

}  // namespace grove::api::auth
