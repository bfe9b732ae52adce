#include "web/console_assets.h"

#include <gtest/gtest.h>

#include <regex>

namespace grove::web {
namespace {

TEST(ConsoleAssetsTest, IndexNamesOnlyFilesThatExist) {
  const Asset* index = FindConsoleAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(index->immutable);
  auto html = PlainBytes(*index);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  std::regex reference("/ui/([A-Za-z0-9_./-]+)");
  int found = 0;
  for (auto it = std::sregex_iterator(html->begin(), html->end(), reference); it != std::sregex_iterator(); ++it) {
    const std::string path = (*it)[1];
    const Asset* asset = FindConsoleAsset(path);
    ASSERT_NE(asset, nullptr) << "index.html names " << path;
    EXPECT_TRUE(asset->immutable) << path;
    ++found;
  }
  if (ConsoleBuilt()) {
    EXPECT_GE(found, 1);
  }
}

TEST(ConsoleAssetsTest, EveryAssetUnzipsToItsSizeInPathOrder) {
  const std::vector<Asset>& assets = ConsoleAssets();
  ASSERT_FALSE(assets.empty());
  for (size_t i = 0; i < assets.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(assets[i - 1].path, assets[i].path);
    }
    auto bytes = PlainBytes(assets[i]);
    ASSERT_TRUE(bytes.ok()) << assets[i].path << ": " << bytes.status().ToString();
    EXPECT_EQ(bytes->size(), assets[i].size) << assets[i].path;
    EXPECT_EQ(FindConsoleAsset(assets[i].path), &assets[i]);
  }
  EXPECT_EQ(FindConsoleAsset("assets/missing.js"), nullptr);
  EXPECT_EQ(FindConsoleAsset(""), nullptr);
}

TEST(ConsoleAssetsTest, CorruptGzipIsAnErrorNotACrash) {
  Asset broken{"x.js", "text/javascript", std::string_view("\x1f\x8b\x08\x00garbage", 12), true, 100, true};
  EXPECT_FALSE(PlainBytes(broken).ok());
}

}  // namespace
}  // namespace grove::web
