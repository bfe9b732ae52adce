#include "common/edit_distance.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(EditDistanceTest, ClassicPairs) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("flaw", "lawn"), 2u);
  EXPECT_EQ(EditDistance("Training", "Trainng"), 1u);
  EXPECT_EQ(EditDistance("abc", "abc"), 0u);
}

TEST(EditDistanceTest, EmptyStringsCostTheOtherLength) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("abcd", ""), 4u);
}

TEST(EditDistanceTest, IsSymmetric) {
  EXPECT_EQ(EditDistance("Processing", "Procesing"), EditDistance("Procesing", "Processing"));
  EXPECT_EQ(EditDistance("ab", "ba"), 2u);  // A transposition is two edits.
  EXPECT_EQ(EditDistance("ba", "ab"), 2u);
}

TEST(EditDistanceTest, IgnoreCaseFoldsLetters) {
  EXPECT_EQ(EditDistance("TRAINING", "training"), 8u);
  EXPECT_EQ(EditDistance("TRAINING", "training", /*ignore_case=*/true), 0u);
  EXPECT_EQ(EditDistance("MseThreshold", "msethreshhold", /*ignore_case=*/true), 1u);
}

}  // namespace
}  // namespace grove
