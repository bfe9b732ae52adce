#include "common/buffer_pool.h"

#include <new>

namespace grove {

namespace {

void Free(void* data) { ::operator delete(data, std::align_val_t(BufferPool::kAlignment)); }

}  // namespace

BufferPool::~BufferPool() {
  for (auto& [capacity, buffers] : free_) {
    for (void* data : buffers) Free(data);
  }
}

BufferPool& BufferPool::Default() {
  static BufferPool* pool = new BufferPool(16 << 20);  // Never destroyed: buffers may outlive static destruction.
  return *pool;
}

void* BufferPool::Take(size_t size) {
  const size_t capacity = Capacity(size);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(capacity);
    if (it != free_.end() && !it->second.empty()) {
      void* data = it->second.back();
      it->second.pop_back();
      pooled_bytes_ -= capacity;
      return data;
    }
  }
  return ::operator new(capacity, std::align_val_t(kAlignment), std::nothrow);
}

void BufferPool::Give(void* data, size_t size) {
  if (data == nullptr) return;
  const size_t capacity = Capacity(size);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pooled_bytes_ + capacity <= max_pooled_bytes_) {
      free_[capacity].push_back(data);
      pooled_bytes_ += capacity;
      return;
    }
  }
  Free(data);
}

size_t BufferPool::pooled_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pooled_bytes_;
}

}  // namespace grove
