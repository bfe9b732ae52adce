#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace grove::store {

// Immutable, content-addressed blobs and directories.
//
// Put never exposes a partial artifact: content is copied under a temporary
// name, fsynced, and renamed into place; a crash leaves at most garbage under
// the temporary area, which Put ignores and later cleans. Thread- and
// process-safe: two writers of the same content end with one copy.
class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  // Stores the file or directory at `source` (left untouched) and returns its
  // record (digest per Sha256Path, URI, size). Idempotent for equal content.
  virtual Result<ArtifactRecord> Put(const std::filesystem::path& source) = 0;
  // Like Put, but may move `source` instead of copying (it is consumed).
  virtual Result<ArtifactRecord> PutByMove(const std::filesystem::path& source) = 0;
  // Stores `bytes` as a file artifact.
  virtual Result<ArtifactRecord> PutBytes(std::string_view bytes) = 0;
  // A local path where the artifact can be read. NotFound if absent.
  virtual Result<std::filesystem::path> LocalPath(const std::string& digest) = 0;
  virtual bool Contains(const std::string& digest) = 0;
  // A local folder for files derived from artifacts that can be rebuilt from
  // them at any time (e.g. compiled models: serving/compiled_model_file.h),
  // never uploaded nor evicted with the artifacts; empty when the store keeps
  // none. Default: none.
  virtual std::filesystem::path DerivedFolder() const { return {}; }
  // The local folders where Puts in progress write (what a crash leaves
  // there is garbage: grove doctor reports it, --repair removes it). Default: none.
  virtual std::vector<std::filesystem::path> TempFolders() const { return {}; }
};

// Artifacts under `root`/sha256/<first two hex>/<digest>.
Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const std::filesystem::path& root);

}  // namespace grove::store
