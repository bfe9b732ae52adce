#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/status.h"

namespace grove {

// A whole file held read-only in memory for its lifetime: mapped (mmap,
// MAP_PRIVATE) when it has at least `map_from` bytes, read into an aligned
// heap buffer (BufferPool::Default) when smaller. Small files are read because mapping them costs
// more than copying: the mmap, a page fault per page touched, and the munmap,
// which in a multi-threaded process interrupts every core running one of its
// threads to flush their TLBs (docs/performance.md, "Cold loads and 10,000
// models").
//
// Either way the contents are the file as it was opened: replacing the file
// by rename (as WriteFileAtomic does) leaves them intact. Truncating the same
// file in place while it is mapped would fault on access; Grove never does
// that to the files it opens this way. Thread-safe to read from many threads.
class MappedFile {
 public:
  // Files below this many bytes are read rather than mapped.
  static constexpr size_t kMapFrom = 256 * 1024;
  // The alignment of data() when the file is read (a mapping is page-aligned).
  static constexpr size_t kAlignment = 64;  // BufferPool::kAlignment.

  // NotFound when `path` does not exist; IOError when it cannot be opened,
  // is not a regular file, or cannot be mapped or read. An empty file gives
  // an empty view.
  static Result<std::unique_ptr<MappedFile>> Open(const std::filesystem::path& path, size_t map_from = kMapFrom);
  ~MappedFile();

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  const void* data() const { return data_; }  // At least kAlignment-aligned.
  size_t size() const { return size_; }
  bool mapped() const { return mapped_; }

 private:
  MappedFile(void* data, size_t size, bool mapped) : data_(data), size_(size), mapped_(mapped) {}

  void* data_;
  size_t size_;
  bool mapped_;
};

}  // namespace grove
