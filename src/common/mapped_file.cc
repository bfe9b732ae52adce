#include "common/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include "common/buffer_pool.h"
#include "common/file_util.h"

namespace grove {

namespace {

static_assert(MappedFile::kAlignment == BufferPool::kAlignment);

// Reads `size` bytes of `fd` into a buffer of the pool; null and errno set on failure.
void* ReadAll(int fd, size_t size) {
  void* data = BufferPool::Default().Take(size);
  if (data == nullptr) {
    errno = ENOMEM;
    return nullptr;
  }
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, static_cast<char*>(data) + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;  // Shorter than fstat said: changed under us.
      BufferPool::Default().Give(data, size);
      errno = err;
      return nullptr;
    }
    done += static_cast<size_t>(n);
  }
  return data;
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::filesystem::path& path, size_t map_from) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no file " + path.string());
    return ErrnoStatus("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int err = S_ISREG(st.st_mode) ? errno : EINVAL;
    ::close(fd);
    return ErrnoStatus("cannot map (not a regular file?)", path, err);
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* data = nullptr;
  bool mapped = size >= map_from;
  if (size > 0 && mapped) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot map", path, err);
    }
  } else if (size > 0) {
    data = ReadAll(fd, size);
    if (data == nullptr) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot read", path, err);
    }
  }
  ::close(fd);  // A mapping keeps the file open.
  return std::unique_ptr<MappedFile>(new MappedFile(data, size, mapped));
}

MappedFile::~MappedFile() {
  if (size_ == 0) return;
  if (mapped_) {
    ::munmap(data_, size_);
  } else {
    BufferPool::Default().Give(data_, size_);
  }
}

}  // namespace grove
