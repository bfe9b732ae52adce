#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/mapped_file.h"
#include "common/status.h"
#include "serving/tree_ensemble.h"

namespace grove::serving {

// A TreeEnsemble as one flat, memory-mappable file, so a cold load takes the
// file into memory as it is (MappedFile: mapped, or read when small) and
// validates it, instead of a JSON scan and a compile (docs/serving.md,
// "Compiled model files"). Little-endian, every section 8-byte aligned:
//
//   header (136 bytes): magic "GROVETRE", XXH64 checksum of every byte after
//     the checksum field, format version, compiler version, header size,
//     output transform, file size, num_features, num_groups, num_trees,
//     num_nodes, num_tree_weights, objective length, the source model's
//     SHA-256 (64 hex digits)
//   nodes (12 bytes each: value, feature | default-left, left child),
//   roots, tree groups (uint32 per tree), tree weights (float per tree, or
//   none), base margins (float per group), the objective's name.
//
// A file is trusted only when every header field is in range, the sizes add
// up to the file's size, the checksum matches, the versions are this
// binary's and the digest is the one asked for; and every node's child and
// feature index is checked before the first walk, so even a file forged with
// a valid checksum cannot make a walk leave the mapping or loop.
class CompiledModelFile {
 public:
  static constexpr uint32_t kFormatVersion = 1;
  // Bump when TreeEnsembleCompiler changes what it produces: every compiled
  // file of an older compiler is then stale and rebuilt.
  static constexpr uint32_t kCompilerVersion = 1;
  static constexpr size_t kHeaderBytes = 136;

  // The file's bytes for `ensemble`, compiled from the model artifact whose
  // SHA-256 is `source_digest` (64 hex digits).
  static std::string Serialize(const TreeEnsemble& ensemble, std::string_view source_digest);

  // A TreeEnsemble reading from `mapping` (kept alive by it, not copied).
  // kInvalidArgument for a file that is truncated, corrupt or forged,
  // kFailedPrecondition for a valid file of another format or compiler
  // version or another source digest (stale). Either way: rebuild it.
  static Result<TreeEnsemble> FromMapping(std::shared_ptr<const MappedFile> mapping, std::string_view source_digest);

  // Opens `path` as a MappedFile and reads it as FromMapping; NotFound when there is no file.
  static Result<TreeEnsemble> Map(const std::filesystem::path& path, std::string_view source_digest);
};

// Where the compiled file of the model artifact `digest` lives under `folder`
// (store::ArtifactStore::DerivedFolder): content-addressed by the source's
// digest and the versions, so a new compiler never reads an old file:
//   folder/trees-v<format>.<compiler>/<first two hex digits>/<digest>
std::filesystem::path CompiledModelPath(const std::filesystem::path& folder, std::string_view digest);

// XXH64 with seed 0 (the checksum of compiled model files).
uint64_t Xxh64(std::string_view bytes);

}  // namespace grove::serving
