#include "common/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace grove {

Status ErrnoStatus(const std::string& what, const std::filesystem::path& path, int err) {
  return Status::IOError(what + " " + path.string() + ": " + std::strerror(err));
}

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path.string() + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading " + path.string());
  return ss.str();
}

Result<std::string> ReadFileFrom(const fs::path& path, uint64_t offset, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path.string() + ": " + std::strerror(errno));
  if (!in.seekg(0, std::ios::end)) return Status::IOError("cannot seek in " + path.string());
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  if (offset >= size) return std::string();
  std::string bytes(static_cast<size_t>(std::min<uint64_t>(size - offset, max_bytes)), '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Status::IOError("error reading " + path.string());
  }
  return bytes;
}

Status WriteFile(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot open " + path.string() + " for writing: " + std::strerror(errno));
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) return Status::IOError("error writing " + path.string());
  return Status::OK();
}

fs::file_time_type NewestWrite(const fs::path& path) {
  std::error_code ec;
  fs::file_time_type newest = fs::last_write_time(path, ec);
  if (!fs::is_directory(fs::symlink_status(path, ec))) return newest;
  for (fs::recursive_directory_iterator it(path, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    fs::file_time_type t = fs::last_write_time(it->path(), ec);
    if (!ec && t > newest) newest = t;
  }
  return newest;
}

Status SyncPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("fsync " + path.string() + ": " + std::strerror(err));
  return Status::OK();
}

Status MakeDirs(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IOError("cannot create directory " + path.string() + ": " + ec.message());
  return Status::OK();
}

Status CreatePrivateFile(const fs::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno == EEXIST ? Status::OK() : ErrnoStatus("cannot create", path, errno);
  ::close(fd);
  return Status::OK();
}

Status WriteFileAtomic(const fs::path& path, std::string_view contents) {
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  RETURN_IF_ERROR(MakeDirs(dir));
  std::string tmp_template = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmp_template.data());
  if (fd < 0) return Status::IOError("cannot create temporary file in " + dir.string() + ": " + std::strerror(errno));
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp_template.c_str());
      return Status::IOError("write " + path.string() + ": " + std::strerror(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp_template.c_str());
    return Status::IOError("fsync " + path.string() + ": " + std::strerror(errno));
  }
  if (::rename(tmp_template.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_template.c_str());
    return Status::IOError("rename to " + path.string() + ": " + std::strerror(err));
  }
  return SyncPath(dir);
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "grove-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace grove
