#pragma once

// Gzipped tar archives of plain files, as SageMaker packs model artifacts
// (model.tar.gz). Only what that needs: regular files in POSIX ustar form,
// written whole and read whole (model archives are small).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace grove {

struct TarMember {
  std::string name;   // Relative path inside the archive, e.g. "xgboost-model".
  std::string bytes;  // The file's content.
};

// Writes `members` as a gzipped ustar archive at `path` (replaced atomically).
// InvalidArgument for a name that ustar cannot hold (over 100 bytes).
Status WriteTarGz(const std::filesystem::path& path, const std::vector<TarMember>& members);

// The regular files of the gzipped (or plain) tar archive at `path`, names as
// stored with a leading "./" removed. InvalidArgument naming the archive when
// it is not one.
Result<std::vector<TarMember>> ReadTarGz(const std::filesystem::path& path);

// Whether the file starts with gzip's magic bytes.
bool IsGzipFile(const std::filesystem::path& path);

}  // namespace grove
