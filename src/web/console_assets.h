#pragma once

// The web console's files, compiled into the binary. The CMake build runs
// build.mjs (esbuild over ui/) and compiles its output, gzipped, into
// console_assets_data.cc; without npm it compiles console_fallback.cc.in, a
// page that says how to build the console.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::web {

struct Asset {
  std::string_view path;          // Relative to the console's root: "index.html", "assets/main-3FQ2.js".
  std::string_view content_type;  // E.g. "text/javascript; charset=utf-8".
  std::string_view data;          // The file's bytes, gzipped when `gzipped`.
  bool gzipped = false;
  size_t size = 0;                // Its size before gzip.
  bool immutable = false;         // Content-hashed name: cacheable forever.
};

// Every file of the console, in path order.
const std::vector<Asset>& ConsoleAssets();

// Whether the real console was compiled in (false: the fallback page).
bool ConsoleBuilt();

// The asset at `path` ("index.html", "assets/..."), or nullptr.
const Asset* FindConsoleAsset(std::string_view path);

// The asset's bytes as they were before gzip (for a client that does not
// accept gzip).
Result<std::string> PlainBytes(const Asset& asset);

}  // namespace grove::web
