#include "store/file_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "common/file_util.h"
#include "common/sha256.h"

namespace grove::store {

namespace fs = std::filesystem;

namespace {

constexpr size_t kChunkBytes = 1 << 16;  // Small enough not to fault in fresh pages per copy.

// Closes a descriptor on scope exit unless released.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Copies one file of a tree to `dest`, sealed. Returns its size.
Result<int64_t> CopyTreeFile(const fs::path& source, const fs::path& dest, const ChunkHook& on_chunk) {
  int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", dest, errno);
  auto copied = CopyAndHash(source, fd, dest, on_chunk);
  if (!copied.ok()) {
    ::close(fd);
    return copied.status();
  }
  RETURN_IF_ERROR(SealAndClose(fd, dest));
  return copied->size_bytes;
}

}  // namespace

Result<CopiedFile> CopyAndHash(const fs::path& source, int out_fd, const fs::path& dest_for_errors,
                               const ChunkHook& on_chunk) {
  int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return ErrnoStatus("cannot open", source, errno);
  FdCloser closer(in);
  Sha256 hash;
  auto buf_storage = std::make_unique_for_overwrite<char[]>(kChunkBytes);
  std::span<char> buf(buf_storage.get(), kChunkBytes);
  CopiedFile out;
  while (true) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot read", source, errno);
    if (n == 0) break;
    std::string_view chunk(buf.data(), static_cast<size_t>(n));
    hash.Update(chunk);
    Status written = WriteAll(out_fd, chunk, dest_for_errors);
    if (!written.ok()) return Status(written.code(), written.message() + " (copying " + source.string() + ")");
    out.size_bytes += n;
    if (on_chunk) on_chunk();
  }
  out.digest = hash.HexDigest();
  return out;
}

Status WriteAll(int out_fd, std::string_view bytes, const fs::path& name_for_errors) {
  while (!bytes.empty()) {
    ssize_t n = ::write(out_fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot write", name_for_errors, errno);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status SealAndClose(int fd, const fs::path& name_for_errors) {
  FdCloser closer(fd);
  if (::fchmod(fd, 0444) != 0) return ErrnoStatus("cannot make read-only", name_for_errors, errno);
  if (::fsync(fd) != 0) return ErrnoStatus("cannot fsync", name_for_errors, errno);
  if (::close(closer.Release()) != 0) return ErrnoStatus("cannot close", name_for_errors, errno);
  return Status::OK();
}

Result<int64_t> CopyTree(const fs::path& source, const fs::path& dest, const ChunkHook& on_chunk) {
  std::error_code ec;
  int64_t total = 0;
  for (fs::recursive_directory_iterator it(source, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    // Lexically: fs::relative would resolve a symlinked file to its target's path.
    fs::path target = dest / it->path().lexically_relative(source);
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (!fs::create_directory(target, ec) && ec) return ErrnoStatus("cannot create", target, ec.value());
    } else if (it->is_regular_file(ec)) {
      ASSIGN_OR_RETURN(int64_t size, CopyTreeFile(it->path(), target, on_chunk));
      total += size;
    }
  }
  if (ec) return Status::IOError("cannot list " + source.string() + ": " + ec.message());
  return total;
}

Result<int64_t> SealTree(const fs::path& dir) {
  std::error_code ec;
  int64_t total = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open", it->path(), errno);
    RETURN_IF_ERROR(SealAndClose(fd, it->path()));
    total += static_cast<int64_t>(it->file_size(ec));
  }
  if (ec) return Status::IOError("cannot list " + dir.string() + ": " + ec.message());
  return total;
}

Status SyncFolders(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec) && !it->is_symlink(ec)) RETURN_IF_ERROR(SyncPath(it->path()));
  }
  if (ec) return Status::IOError("cannot list " + dir.string() + ": " + ec.message());
  return SyncPath(dir);
}

}  // namespace grove::store
