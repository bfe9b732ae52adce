#include "common/sha256.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "common/file_chunks.h"

namespace grove {

namespace fs = std::filesystem;

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

std::string Sha256::Of(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.HexDigest();
}

Result<std::string> Sha256File(const fs::path& path) {
  Sha256 h;
  RETURN_IF_ERROR(ReadChunks(path, [&h](std::string_view bytes) { h.Update(bytes); }));
  return h.HexDigest();
}

Result<std::string> Sha256Tree(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file()) continue;
    ASSIGN_OR_RETURN(std::string digest, Sha256File(it->path()));
    entries.emplace_back(it->path().lexically_relative(path).generic_string(), std::move(digest));
  }
  if (ec) return Status::IOError("cannot list " + path.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end());
  Sha256 h;
  h.Update("tree\n");
  for (const auto& [name, digest] : entries) {
    h.Update(name);
    h.Update(std::string_view("\0", 1));
    h.Update(digest);
    h.Update("\n");
  }
  return h.HexDigest();
}

Result<std::string> Sha256Path(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Sha256Tree(path);
  if (!fs::exists(path, ec)) return Status::NotFound("no such file or directory: " + path.string());
  return Sha256File(path);
}

}  // namespace grove
