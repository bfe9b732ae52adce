#include "common/utf8.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(Utf8Test, ValidPrefixStopsAtTheFirstMalformedSequence) {
  EXPECT_EQ(ValidUtf8Prefix(""), 0u);
  EXPECT_EQ(ValidUtf8Prefix("abc"), 3u);
  EXPECT_EQ(ValidUtf8Prefix("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8c\xb2"), 14u);  // é € 🌲
  EXPECT_EQ(ValidUtf8Prefix("ab\xff"), 2u);                                     // Never a UTF-8 byte.
  EXPECT_EQ(ValidUtf8Prefix("ab\xc3"), 2u);                                     // Cut short.
  EXPECT_EQ(ValidUtf8Prefix("a\xc0\xaf"), 1u);                                  // Overlong '/'.
  EXPECT_EQ(ValidUtf8Prefix("a\xed\xa0\x80"), 1u);                              // A surrogate.
  EXPECT_EQ(ValidUtf8Prefix("a\xf4\x90\x80\x80"), 1u);                          // Above U+10FFFF.
  EXPECT_TRUE(IsUtf8("plain"));
  EXPECT_FALSE(IsUtf8("caf\xe9"));
}

TEST(Utf8Test, CheckNamesLineColumnAndByte) {
  EXPECT_TRUE(CheckUtf8Text("a: b\nc: d\n", "f.yaml", "a file").ok());
  Status s = CheckUtf8Text("a: b\nc: \xc3\xa9\xff\n", "f.yaml", "a file");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "f.yaml:2:6: not valid UTF-8 (byte 0xFF); a file must be UTF-8 text");
}

}  // namespace
}  // namespace grove
