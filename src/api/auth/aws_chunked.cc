#include "api/auth/aws_chunked.h"

#include "api/auth/sigv4.h"
#include "common/sha256.h"

namespace grove::api::auth {

namespace {

constexpr std::string_view kSignatureField = ";chunk-signature=";
// Chunk sizes above this are refused before any arithmetic on them.
constexpr size_t kMaxChunkSize = size_t{1} << 40;

// Reads the hex size at the start of `header`; false when there is none.
bool ParseChunkSize(std::string_view header, size_t* size) {
  *size = 0;
  if (header.empty()) return false;
  for (char c : header) {
    int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                                   : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (digit < 0 || *size > kMaxChunkSize) return false;
    *size = *size * 16 + static_cast<size_t>(digit);
  }
  return true;
}

}  // namespace

std::string ChunkStringToSign(const ChunkSigningContext& context, std::string_view previous_signature,
                              std::string_view chunk_data) {
  return "AWS4-HMAC-SHA256-PAYLOAD\n" + context.amz_date + "\n" + context.scope + "\n" +
         std::string(previous_signature) + "\n" + std::string(kEmptySha256) + "\n" + Sha256::Of(chunk_data);
}

Result<std::string> DecodeSignedChunks(std::string_view body, const ChunkSigningContext& context,
                                       std::string seed_signature) {
  std::string data;
  std::string previous = std::move(seed_signature);
  for (int chunk = 1;; ++chunk) {
    auto bad = [&](const std::string& what) {
      return Status::InvalidArgument("aws-chunked body, chunk " + std::to_string(chunk) + ": " + what);
    };
    size_t line_end = body.find("\r\n");
    if (line_end == std::string_view::npos) return bad("no chunk header (the body ends before the final chunk)");
    std::string_view header = body.substr(0, line_end);
    size_t field = header.find(kSignatureField);
    size_t size = 0;
    if (field == std::string_view::npos || !ParseChunkSize(header.substr(0, field), &size)) {
      return bad("the header is not '<hex size>;chunk-signature=<signature>'");
    }
    std::string_view signature = header.substr(field + kSignatureField.size());
    body.remove_prefix(line_end + 2);
    if (body.size() < size + 2 || body.substr(size, 2) != "\r\n") return bad("the data is shorter than its size");
    std::string_view chunk_data = body.substr(0, size);
    std::string expected = Signature(context.signing_key, ChunkStringToSign(context, previous, chunk_data));
    if (!ConstantTimeEquals(expected, signature)) return bad("the chunk signature does not match");
    data.append(chunk_data);
    body.remove_prefix(size + 2);
    if (size == 0) {
      if (!body.empty()) return bad("bytes follow the final chunk");
      return data;
    }
    previous = std::move(expected);
  }
}

}  // namespace grove::api::auth
