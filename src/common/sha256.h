#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove {

// Incremental SHA-256 (OpenSSL EVP underneath). Hex digests are lowercase.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Finishes the hash; the object must not be updated afterwards.
  std::string HexDigest();

  static std::string Of(std::string_view bytes);

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of includers.
};

// Digest of a regular file's bytes.
Result<std::string> Sha256File(const std::filesystem::path& path);

// Digest of a directory tree: SHA-256 over "tree\n" and then the sorted list of
// "<relative path>\0<file digest>\n" lines (one per regular file; empty
// folders add nothing), so renaming, moving or editing any file changes it.
Result<std::string> Sha256Tree(const std::filesystem::path& path);

// Sha256File for files, Sha256Tree for directories.
Result<std::string> Sha256Path(const std::filesystem::path& path);

}  // namespace grove
