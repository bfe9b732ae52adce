#include "web/console_assets.h"

#include <zlib.h>

#include <algorithm>

namespace grove::web {

const Asset* FindConsoleAsset(std::string_view path) {
  const std::vector<Asset>& assets = ConsoleAssets();
  auto it = std::lower_bound(assets.begin(), assets.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

Result<std::string> PlainBytes(const Asset& asset) {
  if (!asset.gzipped) return std::string(asset.data);
  std::string out(asset.size, '\0');
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return Status::Internal("zlib: cannot start inflating");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(asset.data.data()));
  stream.avail_in = static_cast<uInt>(asset.data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&stream, Z_FINISH);
  const size_t written = out.size() - stream.avail_out;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END || written != asset.size) {
    return Status::Internal("console asset " + std::string(asset.path) + " is not valid gzip");
  }
  return out;
}

}  // namespace grove::web
