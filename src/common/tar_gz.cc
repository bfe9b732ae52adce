#include "common/tar_gz.h"

#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>


namespace grove {

namespace {

constexpr size_t kBlock = 512;

// Writes `value` as zero-padded octal in a field of `width` bytes ending in NUL.
void PutOctal(char* field, size_t width, uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

uint64_t ParseOctal(const char* field, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width && field[i] >= '0' && field[i] <= '7'; ++i) value = value * 8 + (field[i] - '0');
  return value;
}

unsigned HeaderChecksum(const std::array<char, kBlock>& header) {
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  }
  return sum;
}

std::array<char, kBlock> Header(const TarMember& member) {
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), member.name.data(), member.name.size());
  PutOctal(&h[100], 8, 0644);
  PutOctal(&h[108], 8, 0);
  PutOctal(&h[116], 8, 0);
  PutOctal(&h[124], 12, member.bytes.size());
  PutOctal(&h[136], 12, 0);
  h[156] = '0';
  std::memcpy(&h[257], "ustar", 6);
  std::memcpy(&h[263], "00", 2);
  std::snprintf(&h[148], 8, "%06o", HeaderChecksum(h));
  h[155] = ' ';
  return h;
}

Result<std::string> Gunzip(const std::filesystem::path& path) {
  gzFile in = gzopen(path.c_str(), "rb");  // Reads plain files unchanged too.
  if (in == nullptr) return Status::IOError("cannot open " + path.string());
  std::string out;
  std::array<char, 1 << 16> buffer;
  int n = 0;
  while ((n = gzread(in, buffer.data(), buffer.size())) > 0) out.append(buffer.data(), n);
  int error = 0;
  const char* message = n < 0 ? gzerror(in, &error) : nullptr;
  gzclose(in);
  if (n < 0) return Status::InvalidArgument(path.string() + ": not a valid gzip file (" + message + ")");
  return out;
}

}  // namespace

Status WriteTarGz(const std::filesystem::path& path, const std::vector<TarMember>& members) {
  std::string tar;
  for (const TarMember& member : members) {
    if (member.name.empty() || member.name.size() > 100) {
      return Status::InvalidArgument("tar member name '" + member.name + "' must be 1-100 bytes");
    }
    const auto header = Header(member);
    tar.append(header.data(), header.size());
    tar += member.bytes;
    tar.append((kBlock - member.bytes.size() % kBlock) % kBlock, '\0');
  }
  tar.append(2 * kBlock, '\0');
  const std::filesystem::path temp = path.string() + ".partial";
  gzFile out = gzopen(temp.c_str(), "wb");
  if (out == nullptr) return Status::IOError("cannot create " + temp.string());
  const bool written = tar.empty() || gzwrite(out, tar.data(), static_cast<unsigned>(tar.size())) > 0;
  if (gzclose(out) != Z_OK || !written) return Status::IOError("cannot write " + temp.string());
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return Status::IOError("cannot rename " + temp.string() + ": " + ec.message());
  return Status::OK();
}

Result<std::vector<TarMember>> ReadTarGz(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string tar, Gunzip(path));
  std::vector<TarMember> members;
  size_t at = 0;
  while (at + kBlock <= tar.size()) {
    std::array<char, kBlock> header;
    std::memcpy(header.data(), tar.data() + at, kBlock);
    if (header[0] == '\0') break;  // The end-of-archive blocks.
    if (ParseOctal(&header[148], 8) != HeaderChecksum(header)) {
      return Status::InvalidArgument(path.string() + ": not a tar archive (bad header checksum at byte " +
                                     std::to_string(at) + ")");
    }
    const uint64_t size = ParseOctal(&header[124], 12);
    if (at + kBlock + size > tar.size()) {
      return Status::InvalidArgument(path.string() + ": truncated tar archive");
    }
    std::string name(header.data(), strnlen(header.data(), 100));
    const std::string prefix(&header[345], strnlen(&header[345], 155));
    if (!prefix.empty()) name = prefix + "/" + name;
    if (name.rfind("./", 0) == 0) name = name.substr(2);
    const char type = header[156];
    if ((type == '0' || type == '\0') && !name.empty()) {
      members.push_back({name, tar.substr(at + kBlock, size)});
    }
    at += kBlock + (size + kBlock - 1) / kBlock * kBlock;
  }
  return members;
}

bool IsGzipFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  return in.read(magic, 2) && static_cast<unsigned char>(magic[0]) == 0x1f &&
         static_cast<unsigned char>(magic[1]) == 0x8b;
}

}  // namespace grove
