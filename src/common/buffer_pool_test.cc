#include "common/buffer_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace grove {
namespace {

TEST(BufferPoolTest, RoundsToTheGranuleAndAligns) {
  BufferPool pool(1 << 20);
  EXPECT_EQ(BufferPool::Capacity(1), BufferPool::kGranule);
  EXPECT_EQ(BufferPool::Capacity(4096), 4096u);
  EXPECT_EQ(BufferPool::Capacity(23 * 1024 + 5), 24u * 1024);
  void* data = pool.Take(23 * 1024 + 5);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % BufferPool::kAlignment, 0u);
  std::memset(data, 7, BufferPool::Capacity(23 * 1024 + 5));  // The whole capacity is usable.
  pool.Give(data, 23 * 1024 + 5);
}

TEST(BufferPoolTest, ReusesAGivenBufferForTheSameSizeClassOnly) {
  BufferPool pool(1 << 20);
  void* a = pool.Take(10000);
  pool.Give(a, 10000);
  EXPECT_EQ(pool.pooled_bytes(), 12288u);
  void* other = pool.Take(20000);  // Another class: a new buffer.
  EXPECT_NE(other, a);
  EXPECT_EQ(pool.pooled_bytes(), 12288u);
  void* b = pool.Take(9000);  // Same class (12 KiB): the pooled one.
  EXPECT_EQ(b, a);
  EXPECT_EQ(pool.pooled_bytes(), 0u);
  pool.Give(b, 9000);
  pool.Give(other, 20000);
}

TEST(BufferPoolTest, KeepsNoMoreThanItsBound) {
  BufferPool pool(2 * 4096);
  void* a = pool.Take(4096);
  void* b = pool.Take(4096);
  void* c = pool.Take(4096);
  pool.Give(a, 4096);
  pool.Give(b, 4096);
  pool.Give(c, 4096);  // Over the bound: freed.
  EXPECT_EQ(pool.pooled_bytes(), 2u * 4096);
  void* d = pool.Take(4096);
  void* e = pool.Take(4096);
  EXPECT_TRUE((d == a || d == b) && (e == a || e == b) && d != e);
  EXPECT_EQ(pool.pooled_bytes(), 0u);
  pool.Give(d, 4096);
  pool.Give(e, 4096);
}

}  // namespace
}  // namespace grove
