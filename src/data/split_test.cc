#include "data/split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace grove::data {
namespace {

using ::testing::ElementsAre;

TEST(SplitTest, Mt19937_64IsTheStandardOne) {
  std::mt19937_64 rng;  // The standard fixes its 10000th output.
  rng.discard(9999);
  EXPECT_EQ(rng(), 9981545732273789042ull);
}

TEST(SplitTest, ShuffleMatchesAnIndependentImplementation) {
  // Expected values from a separate Python implementation of MT19937-64 and
  // the same Fisher-Yates with rejection sampling.
  std::vector<size_t> v(10);
  std::iota(v.begin(), v.end(), size_t{0});
  std::mt19937_64 rng(42);
  ShuffleIndices(&v, &rng);
  EXPECT_THAT(v, ElementsAre(1, 7, 9, 0, 3, 8, 4, 2, 5, 6));
  std::vector<size_t> w(20);
  std::iota(w.begin(), w.end(), size_t{0});
  std::mt19937_64 rng7(7);
  ShuffleIndices(&w, &rng7);
  EXPECT_THAT(w, ElementsAre(2, 14, 4, 18, 12, 16, 0, 19, 11, 17, 1, 9, 5, 7, 3, 13, 8, 6, 10, 15));
}

TEST(SplitTest, UniformBelowStaysInRange) {
  std::mt19937_64 rng(1);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 3000; ++i) ++counts[UniformBelow(3, &rng)];
  for (int c : counts) EXPECT_GT(c, 900);
  EXPECT_EQ(UniformBelow(1, &rng), 0u);
}

TEST(SplitTest, SizesCutLikeNumpy) {
  // int(0.7 * 4177) = 2923, int(0.85 * 4177) = 3550.
  EXPECT_THAT(SplitSizes(4177, {0.7, 0.15, 0.15}), ElementsAre(2923, 627, 627));
  // 0.7 + 0.2 sums to 0.8999999999999999; the cut is still int(0.9 * 5000) = 4500.
  EXPECT_THAT(SplitSizes(5000, {0.7, 0.2, 0.1}), ElementsAre(3500, 1000, 500));
  EXPECT_THAT(SplitSizes(3, {0.7, 0.15, 0.15}), ElementsAre(2, 0, 1));
  EXPECT_THAT(SplitSizes(10, {1.0}), ElementsAre(10));
}

TEST(SplitTest, SplitRowsIsADeterministicPartition) {
  auto a = SplitRows(100, {0.5, 0.3, 0.2}, true, 42);
  auto b = SplitRows(100, {0.5, 0.3, 0.2}, true, 42);
  auto c = SplitRows(100, {0.5, 0.3, 0.2}, true, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].size(), 50u);
  EXPECT_EQ(a[1].size(), 30u);
  EXPECT_EQ(a[2].size(), 20u);
  std::vector<size_t> all;
  for (auto& split : a) all.insert(all.end(), split.begin(), split.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
}

TEST(SplitTest, NoShuffleKeepsRowOrder) {
  auto splits = SplitRows(5, {0.6, 0.4}, false, 9);
  EXPECT_THAT(splits[0], ElementsAre(0, 1, 2));
  EXPECT_THAT(splits[1], ElementsAre(3, 4));
}

TEST(SplitTest, StratifiedKeepsClassSharesWithinOneRow) {
  // 1000 rows, 10% positives: each split gets int-cut shares of both classes.
  std::vector<double> classes(1000, 0.0);
  for (size_t i = 0; i < 1000; i += 10) classes[i] = 1.0;
  const std::vector<double> fractions = {0.7, 0.15, 0.15};
  auto splits = StratifiedSplitRows(classes, fractions, 5);
  ASSERT_EQ(splits.size(), 3u);
  size_t total = 0;
  for (size_t k = 0; k < 3; ++k) {
    size_t positives = 0;
    for (size_t row : splits[k]) positives += classes[row] == 1.0;
    EXPECT_NEAR(static_cast<double>(positives), fractions[k] * 100, 1.0) << k;
    EXPECT_NEAR(static_cast<double>(splits[k].size() - positives), fractions[k] * 900, 1.0) << k;
    total += splits[k].size();
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(splits, StratifiedSplitRows(classes, fractions, 5));
  // Each split is shuffled after the class parts are concatenated (class 0
  // first), so a split is not ordered by class.
  EXPECT_FALSE(
      std::is_sorted(splits[0].begin(), splits[0].end(), [&](size_t a, size_t b) { return classes[a] < classes[b]; }));
}

}  // namespace
}  // namespace grove::data
