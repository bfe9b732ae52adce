#include "data/row_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/csv_reader.h"

namespace grove::data {
namespace {

using ::testing::ElementsAre;

// s is text, n numeric; row 2 has no s, row 3 no n.
Table MakeTable() {
  CsvReader reader({});
  EXPECT_TRUE(reader.AddText("s,n\na,1\n,2\nb,\nc,3\n", "in.csv").ok());
  return std::move(reader.Finish()).value();
}

std::vector<bool> Match(const std::string& filters) {
  Result<std::vector<bool>> keep = MatchFilters(MakeTable(), [&] {
    std::vector<FilterSpec> specs;
    for (const Json& f : Json::parse(filters)) {
      FilterSpec spec;
      spec.column = f["column"];
      if (f.contains("equals")) spec.values = {f["equals"]};
      if (f.contains("not_equals")) {
        spec.op = FilterOp::kNotEquals;
        spec.values = {f["not_equals"]};
      }
      if (f.contains("in")) {
        spec.op = FilterOp::kIn;
        spec.values = f["in"].get<std::vector<Json>>();
      }
      specs.push_back(spec);
    }
    return specs;
  }());
  EXPECT_TRUE(keep.ok()) << keep.status().ToString();
  return keep.ok() ? *keep : std::vector<bool>{};
}

TEST(RowFilterTest, EqualsNotEqualsAndIn) {
  EXPECT_THAT(Match(R"([{"column": "s", "equals": "a"}])"), ElementsAre(true, false, false, false));
  // A missing cell equals nothing, so not_equals keeps it.
  EXPECT_THAT(Match(R"([{"column": "s", "not_equals": "a"}])"), ElementsAre(false, true, true, true));
  EXPECT_THAT(Match(R"([{"column": "n", "not_equals": 1}])"), ElementsAre(false, true, true, true));
  // Numbers and numeric strings compare by value on a numeric column.
  EXPECT_THAT(Match(R"([{"column": "n", "in": [1, "3.0"]}])"), ElementsAre(true, false, false, true));
  // A number never equals a text cell that is not a number.
  EXPECT_THAT(Match(R"([{"column": "s", "equals": 2}])"), ElementsAre(false, false, false, false));
}

TEST(RowFilterTest, EveryFilterMustMatch) {
  EXPECT_THAT(Match(R"([{"column": "s", "in": ["a", "b", "c"]}, {"column": "n", "not_equals": 3}])"),
              ElementsAre(true, false, true, false));
}

TEST(RowFilterTest, NumericColumnNeedsNumericValues) {
  FilterSpec spec;
  spec.column = "n";
  spec.op = FilterOp::kIn;
  spec.values = {Json(1), Json("x")};
  Result<std::vector<bool>> keep = MatchFilters(MakeTable(), {spec});
  ASSERT_FALSE(keep.ok());
  EXPECT_EQ(keep.status().message(), "filter[0].in: column 'n' is numeric, but 'x' is not a number");
}

}  // namespace
}  // namespace grove::data
