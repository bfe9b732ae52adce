#include "data/column_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

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

TEST(ColumnStatsTest, CategoriesSortNumericallyWhenAllNumbers) {
  EXPECT_THAT(SortedCategories({"415", "9", "408", "", "9", "10"}), ElementsAre("9", "10", "408", "415"));
  EXPECT_THAT(SortedCategories({"M", "I", "F", "M"}), ElementsAre("F", "I", "M"));
  EXPECT_THAT(SortedCategories({"10", "9", "x"}), ElementsAre("10", "9", "x"));
  EXPECT_THAT(SortedCategories({"b", "B", "a"}), ElementsAre("B", "a", "b"));
}

}  // namespace
}  // namespace grove::data
