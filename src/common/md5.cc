#include "common/md5.h"

#include <openssl/evp.h>

#include <charconv>

#include "common/file_chunks.h"

namespace grove {

Md5::Md5() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_md5(), nullptr); }

Md5::~Md5() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Md5::Update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string Md5::Digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string Md5::HexOf(std::string_view bytes) {
  Md5 h;
  h.Update(bytes);
  return HexEncode(h.Digest());
}

std::string HexEncode(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kHex[b >> 4];
    out[2 * i + 1] = kHex[b & 15];
  }
  return out;
}

std::string HexDecodeMd5(std::string_view hex) {
  if (hex.size() != 32) return "";
  std::string out(16, '\0');
  for (size_t i = 0; i < 16; ++i) {
    unsigned value = 0;
    const char* begin = hex.data() + 2 * i;
    auto [end, ec] = std::from_chars(begin, begin + 2, value, 16);
    if (ec != std::errc() || end != begin + 2) return "";
    out[i] = static_cast<char>(value);
  }
  return out;
}

Result<std::string> Md5File(const std::filesystem::path& path) {
  Md5 h;
  RETURN_IF_ERROR(ReadChunks(path, [&h](std::string_view bytes) { h.Update(bytes); }));
  return HexEncode(h.Digest());
}

}  // namespace grove
