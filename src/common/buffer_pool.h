#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <vector>

namespace grove {

// Heap buffers kept for reuse, for whole files read and released in turn
// (MappedFile: models cycling through the model cache). Freed to malloc,
// such buffers leave holes in the heap that smaller allocations split, so the
// next buffer of the same size no longer fits and the heap grows: with 1,000
// models of 23 KB cycling, the server's resident memory reached three times
// what the models held. Kept here, a released buffer is taken whole by the
// next file of its size class.
//
// Sizes are rounded up to kGranule. At most `max_pooled_bytes` are kept;
// buffers given back beyond it are freed. Thread-safe.
class BufferPool {
 public:
  static constexpr size_t kGranule = 4096;
  static constexpr size_t kAlignment = 64;

  explicit BufferPool(size_t max_pooled_bytes) : max_pooled_bytes_(max_pooled_bytes) {}
  ~BufferPool();

  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // The process's pool, keeping at most 16 MiB.
  static BufferPool& Default();

  // The size class of `size` bytes: `size` rounded up to kGranule.
  static size_t Capacity(size_t size) { return (size + kGranule - 1) / kGranule * kGranule; }

  // A kAlignment-aligned buffer of Capacity(size) bytes, reused when one is
  // pooled; null when memory is exhausted.
  void* Take(size_t size);
  // Gives back a buffer Take returned for `size` bytes.
  void Give(void* data, size_t size);

  size_t pooled_bytes() const;

 private:
  const size_t max_pooled_bytes_;
  mutable std::mutex mutex_;
  std::map<size_t, std::vector<void*>> free_;  // Capacity -> buffers.
  size_t pooled_bytes_ = 0;
};

}  // namespace grove
