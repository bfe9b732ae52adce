#include "common/file_chunks.h"

#include <fstream>
#include <vector>

namespace grove {

Status ReadChunks(const std::filesystem::path& path, const std::function<void(std::string_view)>& chunk) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot open " + path.string() + " for reading");
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    chunk(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return Status::IOError("error reading " + path.string());
  return Status::OK();
}

}  // namespace grove
