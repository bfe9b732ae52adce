#include "data/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "common/file_util.h"

namespace grove::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Result<Table> Parse(std::string text, CsvReadOptions options = {}) {
  CsvReader reader(std::move(options));
  RETURN_IF_ERROR(reader.AddText(std::move(text), "in.csv"));
  return reader.Finish();
}

TEST(CsvReaderTest, ReadsHeaderAndTypesColumns) {
  Result<Table> table = Parse("a,b,c\n1,x,2.5\n-3,y,1e2\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 2u);
  ASSERT_EQ(table->num_columns(), 3u);
  EXPECT_EQ(table->column(0).name, "a");
  EXPECT_EQ(table->column(0).kind, ColumnKind::kNumeric);
  EXPECT_THAT(table->column(0).numbers, ElementsAre(1.0, -3.0));
  EXPECT_EQ(table->column(1).kind, ColumnKind::kText);
  EXPECT_THAT(table->column(1).texts, ElementsAre("x", "y"));
  EXPECT_THAT(table->column(2).numbers, ElementsAre(2.5, 100.0));
}

TEST(CsvReaderTest, QuotedFieldsWithCommasEscapesAndLineBreaks) {
  Result<Table> table = Parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\nlast,\"\"\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 3u);
  EXPECT_THAT(table->column(0).texts, ElementsAre("Smith, J", "multi\nline", "last"));
  EXPECT_THAT(table->column(1).texts, ElementsAre("said \"hi\"", "x", ""));
  // The row after the two-line record starts on line 5.
  EXPECT_EQ(table->RowLocation(2), "in.csv:5");
  EXPECT_EQ(table->CellLocation(1, 1), "in.csv:3:2");
}

TEST(CsvReaderTest, CrlfLineEndingsAndBom) {
  Result<Table> table = Parse("\xEF\xBB\xBFx,y\r\n1,a\r\n2,\"b\"\r\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).name, "x");
  EXPECT_THAT(table->column(0).numbers, ElementsAre(1.0, 2.0));
  EXPECT_THAT(table->column(1).texts, ElementsAre("a", "b"));
}

TEST(CsvReaderTest, NoTrailingNewlineAndEmptyLinesSkipped) {
  Result<Table> table = Parse("x\n1\n\n2");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_THAT(table->column(0).numbers, ElementsAre(1.0, 2.0));
  EXPECT_EQ(table->RowLocation(1), "in.csv:4");
}

TEST(CsvReaderTest, HeaderlessNeedsNamesAndRenamesWithHeader) {
  CsvReadOptions options;
  options.header = false;
  options.column_names = {"p", "q"};
  Result<Table> table = Parse("1,2\n3,4\n", options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 2u);
  EXPECT_EQ(table->column(1).name, "q");
  EXPECT_THAT(table->column(1).numbers, ElementsAre(2.0, 4.0));
  EXPECT_EQ(table->RowLocation(0), "in.csv:1");

  options.header = true;
  table = Parse("a,b\n1,2\n", options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).name, "p");

  options.column_names = {"p"};
  table = Parse("a,b\n1,2\n", options);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "columns: 1 names given but in.csv has 2 columns (a, b)");
}

TEST(CsvReaderTest, EmptyCellsAreMissing) {
  Result<Table> table = Parse("n,t\n1,a\n,\n3,c\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const Column& n = table->column(0);
  EXPECT_EQ(n.kind, ColumnKind::kNumeric);
  EXPECT_EQ(n.numbers[0], 1.0);
  EXPECT_TRUE(std::isnan(n.numbers[1]));
  EXPECT_EQ(n.numbers[2], 3.0);
  EXPECT_THAT(table->column(1).texts, ElementsAre("a", "", "c"));
}

TEST(CsvReaderTest, TextColumnsStayTextEvenWhenNumeric) {
  CsvReadOptions options;
  options.text_columns = {"code"};
  Result<Table> table = Parse("code,v\n415,1\n408,2\n", options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->column(0).kind, ColumnKind::kText);
  EXPECT_THAT(table->column(0).texts, ElementsAre("415", "408"));
  EXPECT_EQ(table->column(1).kind, ColumnKind::kNumeric);
}

TEST(CsvReaderTest, RaggedRowIsAnErrorWithLine) {
  Result<Table> table = Parse("a,b,c\n1,2,3\n4,5\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(table.status().message(), "in.csv:3: row has 2 fields, expected 3");
}

TEST(CsvReaderTest, MalformedQuotesAreErrors) {
  Result<Table> table = Parse("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv:2: a quoted field is not closed");
  table = Parse("a,b\n1,\"x\"y\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv:2: unexpected text after a closing quote");
}

TEST(CsvReaderTest, HeaderProblems) {
  Result<Table> table = Parse("a,b,a\n1,2,3\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv:1: column name 'a' appears twice (columns 1 and 3)");
  table = Parse("a,,c\n1,2,3\n");
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("in.csv:1: column 2 has no name"));
  table = Parse("");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "in.csv: the file is empty; expected a header line");
}

TEST(CsvReaderTest, DirectoryConcatenatesCsvFilesSortedByName) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "b.csv", "x,y\n3,c\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "a.csv", "x,y\n1,a\n2,b\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "notes.txt", "ignored").ok());
  Result<Table> table = ReadCsv(dir.path(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_THAT(table->column(0).numbers, ElementsAre(1.0, 2.0, 3.0));
  EXPECT_EQ(table->RowLocation(2), (dir.path() / "b.csv").string() + ":2");

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "c.csv", "x,z\n4,d\n").ok());
  table = ReadCsv(dir.path(), {});
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("c.csv:1: header (x, z) differs from the header of"));
}

TEST(CsvReaderTest, MissingFileAndEmptyDirectory) {
  TempDir dir;
  Result<Table> table = ReadCsv(dir.path(), {});
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("the directory has no *.csv files"));
  table = ReadCsv(dir.path() / "nope.csv", {});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
}

TEST(TableTest, ConvertToNumericNamesTheBadCell) {
  Result<Table> table = Parse("id,v\n1,2\n2,abc\n");
  ASSERT_TRUE(table.ok());
  Status status = table->ConvertToNumeric(1);
  EXPECT_EQ(status.message(), "in.csv:3:2: column 'v': 'abc' is not a number");
  EXPECT_EQ(table->column(1).kind, ColumnKind::kText);
  table->KeepRows({true, false});
  ASSERT_TRUE(table->ConvertToNumeric(1).ok());
  EXPECT_THAT(table->column(1).numbers, ElementsAre(2.0));
  EXPECT_THAT(table->column(0).numbers, ElementsAre(1.0));
}

}  // namespace
}  // namespace grove::data
