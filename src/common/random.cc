#include "common/random.h"

#include <cmath>
#include <numbers>
#include <utility>

namespace grove {

uint64_t UniformBelow(uint64_t bound, std::mt19937_64* rng) {
  // Values below `threshold` would make some results more likely; draw again.
  const uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const uint64_t r = (*rng)();
    if (r >= threshold) return r % bound;
  }
}

double UniformUnit(std::mt19937_64* rng) { return static_cast<double>((*rng)() >> 11) * 0x1.0p-53; }

void ShuffleIndices(std::vector<size_t>* indices, std::mt19937_64* rng) {
  for (size_t i = indices->size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(UniformBelow(i, rng));
    std::swap((*indices)[i - 1], (*indices)[j]);
  }
}

double Random::Normal() {
  double u1 = 1.0 - Uniform01();  // (0, 1]: log stays finite.
  double u2 = Uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

uint64_t Random::DeriveSeed(uint64_t seed, uint64_t index) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace grove
