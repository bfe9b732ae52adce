#include "common/csv_line.h"

#include <gtest/gtest.h>

namespace grove {
namespace {

TEST(CsvLineTest, SplitsQuotedAndLiteralCells) {
  std::vector<std::string> cells;
  ASSERT_TRUE(SplitCsvLine(R"(1,"a,b","say ""hi""",, "x",'y)", &cells));
  EXPECT_EQ(cells, (std::vector<std::string>{"1", "a,b", R"(say "hi")", "", R"( "x")", "'y"}));
  ASSERT_TRUE(SplitCsvLine("", &cells));
  EXPECT_EQ(cells, (std::vector<std::string>{""}));
  EXPECT_FALSE(SplitCsvLine(R"(1,"open)", &cells));
}

}  // namespace
}  // namespace grove
