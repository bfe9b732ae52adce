#include "data/column_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace grove::data {
namespace {

using ::testing::ElementsAre;

const double kNaN = std::nan("");

TEST(ColumnStatsTest, MedianOddEvenAndMissing) {
  EXPECT_EQ(Median({5, 1, 3}), 3.0);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(Median({kNaN, 10, kNaN, 2, 4, 8}), 6.0);  // Median of 2, 4, 8, 10.
  EXPECT_EQ(Median({kNaN, 7, 1, kNaN, 4}), 4.0);
  EXPECT_TRUE(std::isnan(Median({kNaN, kNaN})));
  EXPECT_TRUE(std::isnan(Median({})));
}

TEST(ColumnStatsTest, MeanAndPopulationStd) {
  EXPECT_EQ(Mean({1, 2, kNaN, 6}), 3.0);
  // Values 2,4,4,4,5,5,7,9: mean 5, squared deviations sum 32, /8 = 4, std 2.
  EXPECT_EQ(PopulationStd({2, 4, 4, 4, 5, 5, 7, 9}, 5.0), 2.0);
  EXPECT_EQ(PopulationStd({1, kNaN, 3}, 2.0), 1.0);
  EXPECT_TRUE(std::isnan(Mean({kNaN})));
}

// Issue 8: a cell of 1e160 or 1e308 in a scaled column overflowed the std
// (the transform said "std": null and the column was written as zeros).
TEST(ColumnStatsTest, HugeCellInScaledColumnOverflowsStd) {
  // Deviations of 5e159 square to 2.5e319, beyond DBL_MAX.
  EXPECT_EQ(Mean({0, 1e160}), 5e159);
  EXPECT_DOUBLE_EQ(PopulationStd({0, 1e160, kNaN}, 5e159), 5e159);
  // The plain sum of two 1e308 overflows.
  EXPECT_DOUBLE_EQ(Mean({1e308, 1e308, kNaN}), 1e308);
  EXPECT_DOUBLE_EQ(Mean({1e308, 1e308, 0, 0}), 5e307);
  EXPECT_DOUBLE_EQ(PopulationStd({0, 1e308, 0, 0}, 2.5e307), 1e308 * std::sqrt(3.0) / 4);
  const double max = std::numeric_limits<double>::max();
  EXPECT_EQ(Mean({max, -max}), 0.0);
  EXPECT_DOUBLE_EQ(PopulationStd({max, -max}, 0), max);
  EXPECT_EQ(PopulationStd({max, max}, max), 0.0);
  EXPECT_DOUBLE_EQ(Median({1e308, 1.5e308}), 1.25e308);
  EXPECT_DOUBLE_EQ(Median({max, max}), max);
}

TEST(ColumnStatsTest, CategoriesSortNumericallyWhenAllNumbers) {
  EXPECT_THAT(SortedCategories({"415", "9", "408", "", "9", "10"}), ElementsAre("9", "10", "408", "415"));
  EXPECT_THAT(SortedCategories({"M", "I", "F", "M"}), ElementsAre("F", "I", "M"));
  EXPECT_THAT(SortedCategories({"10", "9", "x"}), ElementsAre("10", "9", "x"));
  EXPECT_THAT(SortedCategories({"b", "B", "a"}), ElementsAre("B", "a", "b"));
}

}  // namespace
}  // namespace grove::data
