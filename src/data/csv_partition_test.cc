#include "data/csv_partition.h"

#include <gtest/gtest.h>

namespace grove::data {
namespace {

TEST(CsvPartitionTest, SplitsRowsByColumnKeepingTheirBytes) {
  auto parts = PartitionCsvByColumn("Dim,x,y\r\nA,1,\"a,b\"\r\nB,2,q\r\nA,3,\"line\nbreak\"", "Dim", "f.csv");
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ(parts->at("A"), "Dim,x,y\nA,1,\"a,b\"\nA,3,\"line\nbreak\"\n");
  EXPECT_EQ(parts->at("B"), "Dim,x,y\nB,2,q\n");
}

TEST(CsvPartitionTest, CrlfAndLfFilesGiveTheSameParts) {
  auto crlf = PartitionCsvByColumn("D,v\r\nA,1\r\nA,2", "D", "a");
  auto lf = PartitionCsvByColumn("D,v\nA,1\nA,2\n\n", "D", "b");
  ASSERT_TRUE(crlf.ok() && lf.ok());
  EXPECT_EQ(*crlf, *lf);
}

TEST(CsvPartitionTest, ErrorsSayWhereAndWhat) {
  auto missing = PartitionCsvByColumn("a,b\n1,2\n", "Dim", "in.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "in.csv:1: no column named 'Dim' (columns: a, b)");
  auto ragged = PartitionCsvByColumn("D,v\nA,1\nB\n", "D", "in.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_EQ(ragged.status().message(), "in.csv:3: 1 fields, but the header has 2");
  auto empty = PartitionCsvByColumn("D,v\n,1\n", "D", "in.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "in.csv:2:1: D is empty");
  auto open = PartitionCsvByColumn("D,v\nA,\"1\n", "D", "in.csv");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().message(), "in.csv:2: a quoted field is not closed");
}

}  // namespace
}  // namespace grove::data
