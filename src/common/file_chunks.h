#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "common/status.h"

namespace grove {

// Calls `chunk` with the file's bytes in order, 64 KiB at a time, without
// holding the whole file (to hash it: Sha256File, Md5File). IOError when it
// cannot be opened or read.
Status ReadChunks(const std::filesystem::path& path, const std::function<void(std::string_view)>& chunk);

}  // namespace grove
