#include "common/tar_gz.h"

#include <zlib.h>

#include <cstdint>
#include <vector>

namespace grove {

namespace {

constexpr size_t kBlock = 512;

// Inflates gzip data (every member of a multi-member file) up to `max_bytes`.
Result<std::string> Gunzip(std::string_view in, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Status::Internal("zlib: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof(buffer);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return Status::InvalidArgument("the archive unpacks to more than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_STREAM_END && zs.avail_in > 0) {
      rc = inflateReset(&zs);  // Another gzip member follows.
      if (rc != Z_OK) break;
      continue;
    }
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs.avail_out == 0)) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::InvalidArgument("not valid gzip data (zlib: " + std::to_string(rc) + ")");
  return out;
}

// A NUL-terminated field of a tar header.
std::string_view Field(std::string_view header, size_t offset, size_t size) {
  std::string_view f = header.substr(offset, size);
  size_t end = f.find('\0');
  return end == std::string_view::npos ? f : f.substr(0, end);
}

// An octal number field (size); nullopt-like -1 when malformed.
int64_t Octal(std::string_view field) {
  int64_t value = 0;
  bool digits = false;
  for (char c : field) {
    if (c == ' ' || c == '\0') {
      if (digits) break;
      continue;
    }
    if (c < '0' || c > '7') return -1;
    value = value * 8 + (c - '0');
    digits = true;
    if (value > (int64_t{1} << 40)) return -1;
  }
  return value;
}

}  // namespace

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> ReadTarGzMember(std::string_view archive, std::string_view name, size_t max_bytes) {
  if (!IsGzip(archive)) return Status::InvalidArgument("not gzip data");
  ASSIGN_OR_RETURN(std::string tar, Gunzip(archive, max_bytes));
  std::vector<std::string> names;
  std::string long_name;  // From a GNU long-name ('L') entry, for the entry after it.
  for (size_t at = 0; at + kBlock <= tar.size();) {
    std::string_view header(tar.data() + at, kBlock);
    if (header.find_first_not_of('\0') == std::string_view::npos) break;  // The end-of-archive blocks.
    const int64_t size = Octal(header.substr(124, 12));
    if (size < 0 || at + kBlock + static_cast<size_t>(size) > tar.size()) {
      return Status::InvalidArgument("not a tar archive, or one cut short (entry at byte " + std::to_string(at) + ")");
    }
    const char type = header[156];
    std::string_view body(tar.data() + at + kBlock, static_cast<size_t>(size));
    std::string path(Field(header, 0, 100));
    if (!long_name.empty()) {
      path = std::move(long_name);
      long_name.clear();
    } else if (header.substr(257, 5) == "ustar" && !Field(header, 345, 155).empty()) {
      path = std::string(Field(header, 345, 155)) + "/" + path;
    }
    if (type == 'L') {
      long_name = std::string(Field(body, 0, body.size()));
    } else if (type == '0' || type == '\0') {
      std::string_view plain(path);
      while (plain.substr(0, 2) == "./") plain.remove_prefix(2);
      if (plain == name) return std::string(body);
      names.emplace_back(plain);
    }
    at += kBlock + (static_cast<size_t>(size) + kBlock - 1) / kBlock * kBlock;
  }
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return Status::NotFound("the archive holds no file '" + std::string(name) + "' (files: " +
                          (list.empty() ? "none" : list) + ")");
}

}  // namespace grove
