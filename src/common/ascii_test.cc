#include "common/ascii.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(AsciiTest, LowercasesAsciiLettersOnly) {
  EXPECT_EQ(AsciiLowercase("AbaloneModelPackageGroup-2_X"), "abalonemodelpackagegroup-2_x");
  EXPECT_EQ(AsciiLowercase("Ä/É é"), "Ä/É é") << "bytes of UTF-8 stay as they are";
  EXPECT_EQ(AsciiLowercase(""), "");
}

}  // namespace
}  // namespace grove
