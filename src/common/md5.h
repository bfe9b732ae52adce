#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove {

// Incremental MD5 (OpenSSL EVP underneath), for interfaces that name bytes by
// it (S3's ETags). Not for integrity: Grove names content by SHA-256.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  void Update(std::string_view bytes);
  // The 16 raw digest bytes; finishes the hash (no Update afterwards).
  std::string Digest();

  // Lowercase hex of the MD5 of `bytes`.
  static std::string HexOf(std::string_view bytes);

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of includers.
};

// Lowercase hex of `bytes` ("\x01\xab" -> "01ab").
std::string HexEncode(std::string_view bytes);
// The 16 raw bytes of a 32-digit hex MD5; empty when `hex` is not one.
std::string HexDecodeMd5(std::string_view hex);

// Lowercase hex MD5 of a regular file's bytes.
Result<std::string> Md5File(const std::filesystem::path& path);

}  // namespace grove
