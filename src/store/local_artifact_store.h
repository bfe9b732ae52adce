#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "store/artifact_store.h"
#include "store/file_copy.h"

namespace grove::store {

struct LocalArtifactStoreOptions {
  // Stamps created_at of the records Put returns. Not owned. Default: the system clock.
  const Clock* clock = nullptr;
  // Leftovers under root/tmp untouched for longer than this are removed when
  // the store opens. Default: one hour.
  TimeMs temp_max_age_ms = 3'600'000;
  // Test seam, called at named points of a Put: "chunk_copied" after each
  // chunk of a copy, "before_publish" when the content is complete and
  // durable under root/tmp but not yet renamed into place, "published" just
  // after that rename (before its folder is synced). May be empty.
  std::function<void(std::string_view point)> test_hook;
};

// ArtifactStore on a local folder:
//   root/sha256/<first two hex digits>/<digest>   a file or a directory tree
//   root/tmp/                                     work in progress
//   root/derived/                                 files rebuilt from artifacts (DerivedFolder)
// Content is written under root/tmp, fsynced, made read-only (files 0444) and
// renamed into place, then the parent folder is fsynced; a digest that is
// already stored is never rewritten. Thread- and process-safe without locks:
// renames are atomic and equal content has equal digests.
class LocalArtifactStore : public ArtifactStore {
 public:
  // Creates the folders if needed and removes stale leftovers under root/tmp.
  static Result<std::unique_ptr<LocalArtifactStore>> Open(const std::filesystem::path& root,
                                                          LocalArtifactStoreOptions options);

  Result<ArtifactRecord> Put(const std::filesystem::path& source) override;
  // Renames `source` into root/tmp when it is on the same file system (and
  // holds no symlinks), else copies it and then removes it.
  Result<ArtifactRecord> PutByMove(const std::filesystem::path& source) override;
  Result<ArtifactRecord> PutBytes(std::string_view bytes) override;
  // InvalidArgument for a malformed digest; NotFound "no artifact '<digest>' in <root>".
  Result<std::filesystem::path> LocalPath(const std::string& digest) override;
  bool Contains(const std::string& digest) override;
  // root/derived.
  std::filesystem::path DerivedFolder() const override { return root_ / "derived"; }
  // root/tmp.
  std::vector<std::filesystem::path> TempFolders() const override { return {temp_}; }

  const std::filesystem::path& root() const { return root_; }
  // Where `digest` is (or would be) stored.
  std::filesystem::path PathOf(const std::string& digest) const;

 private:
  LocalArtifactStore(std::filesystem::path root, LocalArtifactStoreOptions options);

  Result<ArtifactRecord> PutFile(const std::filesystem::path& source);
  Result<ArtifactRecord> PutDirectory(const std::filesystem::path& source);
  Result<ArtifactRecord> PutMovedFile(const std::filesystem::path& moved);
  Result<ArtifactRecord> PutMovedDirectory(const std::filesystem::path& moved);
  // Renames the complete, durable `temp` to the digest's place (or drops it
  // when the digest is stored already) and fsyncs the parent folder.
  Result<ArtifactRecord> Publish(const std::filesystem::path& temp, const std::string& digest, bool is_directory,
                                 int64_t size_bytes);
  // A fresh name under root/tmp: a created empty file (open, fd in *fd) or folder.
  Result<std::filesystem::path> NewTempFile(int* fd);
  Result<std::filesystem::path> NewTempFolder();
  void RemoveStaleTemps();
  void Hook(std::string_view point) const;
  ChunkHook ChunkHookFn() const;

  std::filesystem::path root_;
  std::filesystem::path objects_;  // root/sha256
  std::filesystem::path temp_;     // root/tmp
  LocalArtifactStoreOptions options_;
};

// OpenLocalArtifactStore with options (a clock, a test hook).
Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const std::filesystem::path& root,
                                                              LocalArtifactStoreOptions options);

// True for 64 lowercase hex digits.
bool IsSha256Digest(std::string_view digest);

}  // namespace grove::store
