#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove::store {

// File-system steps of the local artifact store: copying while hashing,
// making copies durable (fsync) and read-only.

// Called after each chunk a copy writes (a test seam: a test can stop the
// process mid-copy). May be empty.
using ChunkHook = std::function<void()>;

struct CopiedFile {
  std::string digest;  // SHA-256 of the bytes copied.
  int64_t size_bytes = 0;
};

// Copies the file at `source` (following symlinks) to the open descriptor
// `out_fd` in one pass, hashing the bytes as they go. Does not fsync or close.
// A failed write (a full disk) names `dest_for_errors`, the file `out_fd` writes, and the source.
Result<CopiedFile> CopyAndHash(const std::filesystem::path& source, int out_fd,
                               const std::filesystem::path& dest_for_errors, const ChunkHook& on_chunk);

// Writes `bytes` to the open descriptor `out_fd`, whose file is `name_for_errors`.
// Does not fsync or close.
Status WriteAll(int out_fd, std::string_view bytes, const std::filesystem::path& name_for_errors);

// Makes `fd` read-only (0444) and durable (fsync), then closes it (even on error).
Status SealAndClose(int fd, const std::filesystem::path& name_for_errors);

// Copies the tree at `source` into the existing, empty folder `dest`: folders
// and regular files (through symlinks; other entries are skipped, as
// Sha256Tree skips them). Each file is sealed as SealAndClose does. Returns
// the total bytes of the files.
Result<int64_t> CopyTree(const std::filesystem::path& source, const std::filesystem::path& dest,
                         const ChunkHook& on_chunk);

// For a tree moved in whole: makes each regular file read-only and durable.
// Returns the total bytes of the files.
Result<int64_t> SealTree(const std::filesystem::path& dir);

// fsyncs `dir` and every folder under it, so that their entries are durable.
Status SyncFolders(const std::filesystem::path& dir);

}  // namespace grove::store
