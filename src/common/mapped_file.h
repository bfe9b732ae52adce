#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/status.h"

namespace grove {

// A whole file mapped read-only (mmap, MAP_PRIVATE) for its lifetime.
//
// The mapping shows the file as it was opened: replacing the file by rename
// (as WriteFileAtomic does) leaves it intact. Truncating the same file in
// place while it is mapped would fault on access; Grove never does that to
// the files it maps. Thread-safe to read from many threads.
class MappedFile {
 public:
  // NotFound when `path` does not exist; IOError when it cannot be opened,
  // is not a regular file, or cannot be mapped. An empty file maps to an
  // empty view.
  static Result<std::unique_ptr<MappedFile>> Open(const std::filesystem::path& path);
  ~MappedFile();

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  const void* data() const { return data_; }  // Page-aligned.
  size_t size() const { return size_; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}

  void* data_;
  size_t size_;
};

}  // namespace grove
