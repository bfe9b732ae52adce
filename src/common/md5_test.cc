#include "common/md5.h"

#include <gtest/gtest.h>

#include "common/file_util.h"

namespace grove {
namespace {

TEST(Md5Test, KnownDigests) {
  EXPECT_EQ(Md5::HexOf(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5::HexOf("abc"), "900150983cd24fb0d6963f7d28e17f72");
  Md5 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(HexEncode(h.Digest()), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Md5Test, HexRoundTripAndFiles) {
  std::string raw = HexDecodeMd5("900150983cd24fb0d6963f7d28e17f72");
  ASSERT_EQ(raw.size(), 16u);
  EXPECT_EQ(HexEncode(raw), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexDecodeMd5("xyz"), "");
  EXPECT_EQ(HexDecodeMd5(std::string(32, 'g')), "");
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "f", "abc").ok());
  EXPECT_EQ(*Md5File(dir.path() / "f"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5File(dir.path() / "missing").status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace grove
