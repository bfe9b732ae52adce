#include "data/cell_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace grove::data {
namespace {

TEST(CellTextTest, ParseNumberAcceptsDecimalNumbers) {
  EXPECT_EQ(ParseNumber("3"), 3.0);
  EXPECT_EQ(ParseNumber("-0.5"), -0.5);
  EXPECT_EQ(ParseNumber("+.5"), 0.5);
  EXPECT_EQ(ParseNumber("1e-3"), 0.001);
  EXPECT_EQ(ParseNumber(" 7.25\t"), 7.25);
  EXPECT_EQ(ParseNumber("8.162204022"), 8.162204022);
}

TEST(CellTextTest, ParseNumberRejectsOtherText) {
  EXPECT_FALSE(ParseNumber(""));
  EXPECT_FALSE(ParseNumber(" "));
  EXPECT_FALSE(ParseNumber("abc"));
  EXPECT_FALSE(ParseNumber("1.5x"));
  EXPECT_FALSE(ParseNumber("403-2562"));
  EXPECT_FALSE(ParseNumber("inf"));
  EXPECT_FALSE(ParseNumber("1e999"));
  EXPECT_FALSE(ParseNumber("+-1"));
  EXPECT_FALSE(ParseNumber("True."));
}

TEST(CellTextTest, NanLiteralIsMissing) {
  std::optional<double> value = ParseNumber("NaN");
  ASSERT_TRUE(value);
  EXPECT_TRUE(std::isnan(*value));
}

TEST(CellTextTest, NonFiniteKindNamesNanAndInfinityInEverySpelling) {
  for (const char* text : {"nan", "NaN", "-nan", "NAN", " nan "}) EXPECT_EQ(NonFiniteKind(text), "NaN") << text;
  for (const char* text : {"inf", "-inf", "+inf", "Infinity", "-INFINITY", "1e999", "-1e400"}) {
    EXPECT_EQ(NonFiniteKind(text), "infinite") << text;
  }
  for (const char* text : {"", "1", "1e308", "abc", "infinite", "nan1"}) EXPECT_EQ(NonFiniteKind(text), "") << text;
}

TEST(CellTextTest, FormatNumberIsShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(15.0), "15");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(-0.5745581331424153), "-0.5745581331424153");
  EXPECT_EQ(FormatNumber(1e-20), "1e-20");
  EXPECT_EQ(FormatNumber(std::nan("")), "");
  const double third = 1.0 / 3.0;
  EXPECT_EQ(*ParseNumber(FormatNumber(third)), third);
}

TEST(CellTextTest, ScalarsMatchCells) {
  EXPECT_TRUE(ScalarMatchesText(Json("True."), "True."));
  EXPECT_FALSE(ScalarMatchesText(Json("True"), "True."));
  EXPECT_TRUE(ScalarMatchesText(Json(415), "415"));
  EXPECT_TRUE(ScalarMatchesText(Json(415), "415.0"));
  EXPECT_FALSE(ScalarMatchesText(Json(415), "x"));
  EXPECT_FALSE(ScalarMatchesText(Json("415"), "415.0"));
  EXPECT_EQ(ScalarText(Json(415)), "415");
  EXPECT_EQ(ScalarText(Json(0.25)), "0.25");
  EXPECT_EQ(ScalarNumber(Json("2.5")), 2.5);
  EXPECT_FALSE(ScalarNumber(Json("x")));
}

}  // namespace
}  // namespace grove::data
