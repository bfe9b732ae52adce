#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/home.h"
#include "common/status.h"
#include "store/records.h"

namespace grove::app {

// An artifact named by a caller: its digest and, for a directory artifact,
// an optional file inside it.
struct ArtifactRef {
  std::string digest;
  std::string inner;  // "train/train.csv" within a directory artifact; empty: the artifact itself.
};

// A file of a directory artifact.
struct ArtifactFile {
  std::string path;  // Relative to the artifact's root, '/'-separated.
  int64_t size_bytes = 0;
};

// What `artifact show` prints: the record, the lineage (who produced it, who
// consumed it) and, for a directory, its files.
struct ArtifactInfo {
  ArtifactRef ref;
  store::ArtifactRecord record;
  std::vector<store::ArtifactLink> lineage;
  std::vector<ArtifactFile> files;  // Directory artifacts only, sorted by path.
};

// Use cases of artifacts: stat, open, read a byte range, copy out. Every
// method takes a reference in one of these forms:
//   <sha256>                            a digest, as `execution outputs` prints it
//   <sha256>/<path>                     a file inside a directory artifact
//   file:///.../sha256/ab/<sha256>[/<path>]   the artifact's URI (any scheme
//                                       whose path ends in a digest works)
// Errors: InvalidArgument for a malformed reference, or for reading a
// directory as bytes (the message lists its files); NotFound for an unknown
// digest or a missing inner path; IOError when the bytes cannot be read.
class Artifacts {
 public:
  explicit Artifacts(Home& home) : home_(home) {}

  static Result<ArtifactRef> ParseRef(std::string_view text);

  Result<ArtifactInfo> Stat(std::string_view ref);
  // A stream over a file artifact (or a file inside a directory artifact).
  Result<std::unique_ptr<std::istream>> Open(std::string_view ref);
  // Up to `length` bytes from `offset` (nullopt: to the end). InvalidArgument
  // when `offset` is beyond the end.
  Result<std::string> ReadRange(std::string_view ref, int64_t offset, std::optional<int64_t> length);
  // Copies the artifact (a file, or a directory tree) to `dest`. When `dest`
  // is an existing directory the copy goes inside it, named after the
  // artifact (its inner file name, else its digest). Returns where it went.
  // Copies are writable by their owner (artifacts are stored read-only).
  Result<std::filesystem::path> CopyTo(std::string_view ref, const std::filesystem::path& dest);

 private:
  // The local path of `ref`, checked to exist.
  Result<std::filesystem::path> Locate(const ArtifactRef& ref);
  // Locate, refusing directories.
  Result<std::filesystem::path> LocateFile(std::string_view text);

  Home& home_;
};

}  // namespace grove::app
