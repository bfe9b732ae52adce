#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove {

// An IOError "<what> <path>: <strerror(err)>", e.g. "cannot open /x: No such file or directory".
Status ErrnoStatus(const std::string& what, const std::filesystem::path& path, int err);

// Reads a whole file. NotFound when it cannot be opened.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Up to `max_bytes` of a file from byte `offset` on; empty when `offset` is
// at or past its end (e.g. a log not yet grown that far). NotFound when it
// cannot be opened, as ReadFile.
Result<std::string> ReadFileFrom(const std::filesystem::path& path, uint64_t offset, size_t max_bytes);

// Writes `contents` to `path` so that a crash leaves either the old file or the
// new one, never a torn one: write a temporary sibling, fsync it, rename it over
// `path`, fsync the directory.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view contents);

// Writes `contents` to `path` (replacing it) without syncing: for scratch
// files such as step outputs, which the artifact store syncs when it takes them.
Status WriteFile(const std::filesystem::path& path, std::string_view contents);

// fsync on a file or directory.
Status SyncPath(const std::filesystem::path& path);

// Creates `path` and its parents; OK when it exists.
Status MakeDirs(const std::filesystem::path& path);

// Creates `path` empty with mode 0600 (the mode given to open, so no umask
// makes it readable by others even for a moment); OK, and left as it is,
// when it exists. For files that will hold secrets, such as a SQLite store
// (SQLite gives its -wal and -shm files the database file's mode).
Status CreatePrivateFile(const std::filesystem::path& path);

// The newest modification time of `path` and, for a folder, of anything under it.
std::filesystem::file_time_type NewestWrite(const std::filesystem::path& path);

// A fresh, empty directory under the system temp folder, removed on destruction.
// For tests and scratch work.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace grove
