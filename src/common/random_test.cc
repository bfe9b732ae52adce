#include "common/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace grove {
namespace {

TEST(RandomTest, TheEngineIsTheStandardsMt19937_64) {
  Random r(5489);  // The standard's default seed; its 10000th draw is fixed by [rand.predef].
  uint64_t value = 0;
  for (int i = 0; i < 10000; ++i) value = r.Next();
  EXPECT_EQ(value, 9981545732273789042ULL);
}

TEST(RandomTest, SameSeedSameSequenceOtherSeedOtherSequence) {
  Random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t bound = static_cast<uint64_t>(i) + 1;
    uint64_t x = a.UniformInt(bound);
    EXPECT_EQ(x, b.UniformInt(bound));
    differs = differs || x != c.UniformInt(bound);
    EXPECT_EQ(a.Uniform01(), b.Uniform01());
    c.Uniform01();
    EXPECT_EQ(a.Normal(), b.Normal());
    c.Normal();
  }
  EXPECT_TRUE(differs);
}

TEST(RandomTest, BoundedDrawsStayInRangeAndCoverIt) {
  Random r(7);
  std::set<uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    uint64_t x = r.UniformInt(10);
    ASSERT_LT(x, 10u);
    seen.insert(x);
    double u = r.Uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    double v = r.Uniform(-2.0, 3.0);
    ASSERT_GE(v, -2.0);
    ASSERT_LT(v, 3.0);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(r.UniformInt(1), 0u);
  uint64_t huge = (uint64_t{1} << 63) + 1;  // Most draws are rejected by naive modulo reasoning.
  EXPECT_LT(r.UniformInt(huge), huge);
}

TEST(RandomTest, NormalHasMeanZeroAndUnitVariance) {
  Random r(11);
  constexpr int kDraws = 100'000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    double x = r.Normal();
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum_sq += x * x;
  }
  double mean = sum / kDraws;
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(sum_sq / kDraws - mean * mean, 1.0, 0.02);
}

TEST(RandomTest, ShuffleIsASeededPermutation) {
  std::vector<int> a(50), b(50);
  std::iota(a.begin(), a.end(), 0);
  b = a;
  Random ra(3), rb(3);
  ra.Shuffle(a);
  rb.Shuffle(b);
  EXPECT_EQ(a, b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(50);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(a, identity);

  std::vector<size_t> indices(50);
  std::iota(indices.begin(), indices.end(), 0);
  std::mt19937_64 engine(3);
  ShuffleIndices(&indices, &engine);
  EXPECT_TRUE(std::equal(indices.begin(), indices.end(), a.begin()))
      << "ShuffleIndices and Random::Shuffle are the same Fisher-Yates";
}

TEST(RandomTest, DerivedSeedsAreDistinctAndStable) {
  std::set<uint64_t> seeds;
  for (uint64_t i = 0; i < 1000; ++i) seeds.insert(Random::DeriveSeed(42, i));
  EXPECT_EQ(seeds.size(), 1000u);
  EXPECT_EQ(Random::DeriveSeed(42, 7), Random::DeriveSeed(42, 7));
  EXPECT_NE(Random::DeriveSeed(42, 7), Random::DeriveSeed(43, 7));
}

}  // namespace
}  // namespace grove
