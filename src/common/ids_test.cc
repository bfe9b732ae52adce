#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace grove {
namespace {

TEST(IdsTest, ExecutionIdsAreTwelveLowercaseAlphanumerics) {
  for (int i = 0; i < 200; ++i) {
    std::string id = NewExecutionId();
    ASSERT_EQ(id.size(), 12u) << id;
    for (char c : id) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << id;
  }
}

TEST(IdsTest, ExecutionIdsDoNotRepeatAndUseTheWholeAlphabet) {
  std::set<std::string> ids;
  std::set<char> chars;
  for (int i = 0; i < 2000; ++i) {
    std::string id = NewExecutionId();
    ids.insert(id);
    chars.insert(id.begin(), id.end());
  }
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_EQ(chars.size(), 36u);  // 24,000 draws leave no letter or digit out.
}

}  // namespace
}  // namespace grove
