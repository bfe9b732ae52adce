#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace grove {

// Seeded randomness that gives the same result on every platform and
// standard library: std::mt19937_64 is fully specified, and the bounded draws
// and Fisher-Yates below are our own (the output of std::shuffle and of the
// std:: distributions is not specified).

// A uniform integer in [0, bound) by rejection sampling. REQUIRES: bound > 0.
uint64_t UniformBelow(uint64_t bound, std::mt19937_64* rng);

// A uniform double in [0, 1) from the top 53 bits of one draw.
double UniformUnit(std::mt19937_64* rng);

// Fisher-Yates: for i from n-1 down to 1, swap items i and UniformBelow(i + 1).
void ShuffleIndices(std::vector<size_t>* indices, std::mt19937_64* rng);

// A seeded random source whose sequences are the same with every standard
// library: the engine is std::mt19937_64 (its output is fixed by the
// standard), and the distributions below are written out here because
// std::uniform_int_distribution and friends are implementation-defined.
// Not thread-safe; give each thread (or each tree) its own.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, n) without modulo bias. REQUIRES: n > 0.
  uint64_t UniformInt(uint64_t n) { return UniformBelow(n, &engine_); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform01() { return UniformUnit(&engine_); }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }
  // Standard normal (Box-Muller; one draw per call).
  double Normal();
  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::span<T> items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[UniformInt(i)]);
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) { Shuffle(std::span<T>(items)); }

  // A well-mixed seed for sub-stream `index` of `seed` (SplitMix64 of both),
  // so that tree i of a forest gets the same stream however trees are scheduled.
  static uint64_t DeriveSeed(uint64_t seed, uint64_t index);

 private:
  std::mt19937_64 engine_;
};

}  // namespace grove
