#include "data/prepare_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/data_test_util.h"
#include "data/preparation.h"

namespace grove::data {
namespace {

using ::testing::ElementsAre;

Json Base() { return Json::parse(R"({"input": "x.csv", "label": "y"})"); }

// The error message of parsing Base() patched with `patch` (RFC 7396).
std::string ParseError(const std::string& patch) {
  Json args = Base();
  args.merge_patch(Json::parse(patch));
  Result<PrepareSpec> spec = ParsePrepareSpec(args);
  return spec.ok() ? "OK" : spec.status().message();
}

TEST(PrepareSpecTest, ParsesTheAbaloneArguments) {
  Result<PrepareSpec> spec = ParsePrepareSpec(testing::AbaloneArgs());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_FALSE(spec->header);
  EXPECT_EQ(spec->columns.size(), 9u);
  EXPECT_EQ(spec->label.column, "rings");
  EXPECT_FALSE(spec->label.classification);
  ASSERT_EQ(spec->transforms.size(), 2u);
  EXPECT_EQ(spec->transforms[0].impute, ImputeKind::kMedian);
  EXPECT_TRUE(spec->transforms[0].scale);
  EXPECT_EQ(spec->transforms[1].impute, ImputeKind::kConstant);
  EXPECT_EQ(spec->transforms[1].impute_constant, "missing");
  EXPECT_TRUE(spec->transforms[1].one_hot);
  EXPECT_FALSE(spec->transforms[1].unknown_is_error);
  ASSERT_EQ(spec->split.parts.size(), 3u);
  EXPECT_EQ(spec->split.parts[1].name, "validation");  // The order written.
  EXPECT_EQ(spec->split.parts[1].fraction, 0.15);
  EXPECT_EQ(spec->split.seed, 42u);
  EXPECT_TRUE(spec->shuffle);
}

TEST(PrepareSpecTest, DefaultsAndChurnArguments) {
  Result<PrepareSpec> spec = ParsePrepareSpec(Base());
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE(spec->header);
  ASSERT_EQ(spec->split.parts.size(), 1u);
  EXPECT_EQ(spec->split.parts[0].name, "train");
  EXPECT_EQ(spec->split.seed, 0u);
  spec = ParsePrepareSpec(testing::ChurnArgs());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_TRUE(spec->label.classification);
  EXPECT_EQ(spec->label.positive, "True.");
  EXPECT_THAT(spec->categorical, ElementsAre("Area Code"));
}

TEST(PrepareSpecTest, TopLevelErrors) {
  EXPECT_EQ(ParsePrepareSpec(Json::array()).status().message(), "arguments: expected an object with input, label, ...");
  EXPECT_EQ(ParseError(R"({"lable": "y"})"),
            "lable: unknown argument (expected one of: input, header, columns, drop, filter, categorical, label, "
            "transforms, shuffle, split)");
  EXPECT_EQ(ParseError(R"({"input": null})"), "input: required (a CSV file or a directory of CSV files)");
  EXPECT_EQ(ParseError(R"({"input": 3})"), "input: expected a path (a non-empty string)");
  EXPECT_EQ(ParseError(R"({"header": "no"})"), "header: expected true or false");
  EXPECT_EQ(ParseError(R"({"shuffle": 1})"), "shuffle: expected true or false");
  EXPECT_EQ(ParseError(R"({"header": false})"), "columns: required when header is false");
  EXPECT_EQ(ParseError(R"({"columns": "a,b"})"), "columns: expected a list of column names");
  EXPECT_EQ(ParseError(R"({"columns": ["a", 2]})"), "columns[1]: expected a column name (a non-empty string)");
  EXPECT_EQ(ParseError(R"({"columns": ["a", "a"]})"), "columns[1]: 'a' is listed twice");
  EXPECT_EQ(ParseError(R"({"drop": "Phone"})"), "drop: expected a list of column names");
  EXPECT_EQ(ParseError(R"({"categorical": [""]})"), "categorical[0]: expected a column name (a non-empty string)");
}

TEST(PrepareSpecTest, LabelErrors) {
  EXPECT_EQ(ParseError(R"({"label": null})"), "label: required (a column name or {column: c, positive: value})");
  EXPECT_EQ(ParseError(R"({"label": 3})"), "label: expected a column name or {column: c, positive: value}");
  EXPECT_EQ(ParseError(R"({"label": {"positive": "yes"}})"), "label.column: expected a column name");
  EXPECT_EQ(ParseError(R"({"label": {"column": "y", "positive": true}})"),
            "label.positive: expected a string or number (quote values such as \"yes\" in YAML)");
  EXPECT_EQ(ParseError(R"({"label": {"column": "y", "postive": "a"}})"),
            "label.postive: unknown argument (expected one of: column, positive)");
}

TEST(PrepareSpecTest, FilterErrors) {
  EXPECT_EQ(ParseError(R"({"filter": {"column": "a"}})"), "filter: expected a list of {column: c, equals: v}");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a"}]})"),
            "filter[0]: expected exactly one of equals, not_equals, in");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a", "equals": 1, "in": [2]}]})"),
            "filter[0]: expected exactly one of equals, not_equals, in");
  EXPECT_EQ(ParseError(R"({"filter": [{"equals": 1}]})"), "filter[0].column: expected a column name");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a", "in": []}]})"),
            "filter[0].in: expected a non-empty list of values");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a", "in": [1, [2]]}]})"),
            "filter[0].in[1]: expected a string or number");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a", "not_equals": {}}]})"),
            "filter[0].not_equals: expected a string or number");
  EXPECT_EQ(ParseError(R"({"filter": [{"column": "a", "eq": 1}]})"),
            "filter[0].eq: unknown argument (expected one of: column, equals, not_equals, in)");
}

TEST(PrepareSpecTest, TransformErrors) {
  EXPECT_EQ(ParseError(R"({"transforms": {}})"), "transforms: expected a list of {columns: [...], ...}");
  EXPECT_EQ(ParseError(R"({"transforms": [{"impute": "mean"}]})"), "transforms[0].columns: required");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": []}]})"),
            "transforms[0].columns: expected at least one column name");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"]}, {"columns": ["b"], "impute": "mode"}]})"),
            "transforms[1].impute: expected median, mean or {constant: value}");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "impute": {"value": 1}}]})"),
            "transforms[0].impute: expected median, mean or {constant: value}");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "impute": {"constant": null}}]})"),
            "transforms[0].impute.constant: expected a string or number");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "impute": {"constant": [1]}}]})"),
            "transforms[0].impute.constant: expected a string or number");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "impute": {"constant": "zero"}}]})"),
            "transforms[0].impute.constant: 'zero' is not a number (text constants are for one_hot columns)");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "scale": "minmax"}]})"),
            "transforms[0].scale: expected standard");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "one_hot": "yes"}]})"),
            "transforms[0].one_hot: expected true, false or {unknown: ignore | error}");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "one_hot": {"unknown": "drop"}}]})"),
            "transforms[0].one_hot.unknown: expected ignore or error");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "one_hot": true, "scale": "standard"}]})"),
            "transforms[0]: scale and one_hot cannot be combined");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "one_hot": true, "impute": "median"}]})"),
            "transforms[0].impute: median and mean need numbers; impute one_hot columns with {constant: value}");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "scael": "standard"}]})"),
            "transforms[0].scael: unknown argument (expected one of: columns, impute, scale, one_hot)");
  EXPECT_EQ(ParseError(R"({"transforms": [{"columns": ["a"], "one_hot": true, "impute": {"constant": 0}}]})"), "OK");
}

TEST(PrepareSpecTest, SplitErrors) {
  EXPECT_EQ(ParseError(R"({"split": [0.7, 0.3]})"),
            "split: expected {train: 0.7, validation: 0.15, test: 0.15, seed: 42}");
  EXPECT_EQ(ParseError(R"({"split": {"train": 0, "test": 1}})"),
            "split.train: expected a number in (0, 1] or \"rest\"");
  EXPECT_EQ(ParseError(R"({"split": {"train": 1.5}})"), "split.train: expected a number in (0, 1] or \"rest\"");
  EXPECT_EQ(ParseError(R"({"split": {"train": "0.7", "test": 0.3}})"),
            "split.train: expected a number in (0, 1] or \"rest\"");
  EXPECT_EQ(ParseError(R"({"split": {"train": "rest", "test": "rest"}})"),
            "split.test: only one split may be \"rest\"");
  EXPECT_EQ(ParseError(R"({"split": {"train": "rest", "test": 1}})"), "split.train: nothing is left for \"rest\"");
  EXPECT_EQ(ParseError(R"({"split": {"train": 0.7, "test": 0.2}})"),
            "split: the fractions sum to 0.8999999999999999, expected 1");
  EXPECT_EQ(ParseError(R"({"split": {"seed": 3}})"),
            "split: expected at least one split, e.g. {train: 0.8, test: 0.2}");
  EXPECT_EQ(ParseError(R"({"split": {"train": 1, "seed": -1}})"), "split.seed: expected a non-negative integer");
  EXPECT_EQ(ParseError(R"({"split": {"train": 1, "seed": 4.5}})"), "split.seed: expected a non-negative integer");
  EXPECT_EQ(ParseError(R"({"split": {"train": 1, "stratify": "yes"}})"), "split.stratify: expected true or false");
  EXPECT_EQ(ParseError(R"({"split": {"train": 1, "stratify": true}})"),
            "split.stratify: needs a classification label ({column: c, positive: value})");
  EXPECT_EQ(ParseError(R"({"label": {"column": "y", "positive": 1}, "shuffle": false,
                           "split": {"train": 1, "stratify": true}})"),
            "split.stratify: needs shuffle: true");
  EXPECT_EQ(ParseError(R"({"split": {"transform": 1}})"),
            "split.transform: 'transform' is the fitted transform's file; name the split otherwise");
  EXPECT_EQ(ParseError(R"({"split": {"../x": 1}})"),
            "split.../x: a split name uses only letters, digits, _ . - and does not start with .");
  EXPECT_EQ(ParseError(R"({"split": {"train": 0.7, "validation": 0.2, "test": 0.1}})"), "OK");
}

// The seed-000 split: test_size from a parameter, the rest for training,
// stratified by a String parameter "True".
TEST(PrepareSpecTest, RestSplitAndStringBooleans) {
  Json args = Json::parse(R"({"input": "x.csv", "label": {"column": "y", "positive": 1},
                              "split": {"train": "rest", "test": 0.2, "stratify": "True"}})");
  PrepareSpec spec = ParsePrepareSpec(args).value();
  ASSERT_EQ(spec.split.parts.size(), 2u);
  EXPECT_EQ(spec.split.parts[0].name, "train");
  EXPECT_DOUBLE_EQ(spec.split.parts[0].fraction, 0.8);
  EXPECT_TRUE(spec.split.stratify);
  args["split"]["stratify"] = "False";
  EXPECT_FALSE(ParsePrepareSpec(args).value().split.stratify);
}

// The error of CheckColumnReferences for Base() + patch against columns a, b, c, y.
std::string ReferenceError(const std::string& patch) {
  Json args = Base();
  args.merge_patch(Json::parse(patch));
  Result<PrepareSpec> spec = ParsePrepareSpec(args);
  if (!spec.ok()) return "parse: " + spec.status().message();
  Status status = CheckColumnReferences(*spec, {"a", "b", "c", "y"});
  return status.ok() ? "OK" : status.message();
}

TEST(PrepareSpecTest, ColumnReferenceErrors) {
  EXPECT_EQ(ReferenceError(R"({"transforms": [{"columns": ["a"]}, {"columns": ["b", "lenght"]}]})"),
            "transforms[1].columns: no column 'lenght' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"drop": ["Phone"]})"), "drop: no column 'Phone' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"categorical": ["z"]})"), "categorical: no column 'z' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"label": "rings"})"), "label: no column 'rings' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"label": {"column": "rings"}})"),
            "label.column: no column 'rings' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"drop": ["y"]})"), "label: column 'y' is dropped");
  EXPECT_EQ(ReferenceError(R"({"drop": ["a"], "filter": [{"column": "a", "equals": 1}]})"),
            "filter[0].column: column 'a' is dropped");
  EXPECT_EQ(ReferenceError(R"({"filter": [{"column": "q", "equals": 1}]})"),
            "filter[0].column: no column 'q' (columns: a, b, c, y)");
  EXPECT_EQ(ReferenceError(R"({"drop": ["a"], "transforms": [{"columns": ["a"], "scale": "standard"}]})"),
            "transforms[0].columns: column 'a' is dropped");
  EXPECT_EQ(ReferenceError(R"({"transforms": [{"columns": ["y"], "scale": "standard"}]})"),
            "transforms[0].columns: 'y' is the label; it cannot be transformed");
  EXPECT_EQ(ReferenceError(R"({"transforms": [{"columns": ["a", "b"]}, {"columns": ["b"], "scale": "standard"}]})"),
            "transforms[1].columns: 'b' is already in transforms[0]; a column may appear in one entry only");
  EXPECT_EQ(ReferenceError(R"({"categorical": ["a"], "transforms": [{"columns": ["a"], "impute": "median"}]})"),
            "transforms[0].columns: 'a' is listed in categorical; add one_hot: true or drop it");
  EXPECT_EQ(
      ReferenceError(R"({"categorical": ["a"]})"),
      "categorical: 'a' is categorical: one-hot encode it (transforms: [{columns: [a], one_hot: true}]) or drop it");
  EXPECT_EQ(ReferenceError(R"({"categorical": ["y"]})"),
            "label: a regression label must be numeric, but 'y' is listed in categorical (give label.positive for "
            "classification)");
  EXPECT_EQ(ReferenceError(R"({"categorical": ["a", "y"], "drop": ["b"], "label": {"column": "y", "positive": "t"},
                               "transforms": [{"columns": ["a"], "one_hot": true}]})"),
            "OK");
}

TEST(PrepareSpecTest, ValidateChecksNamesWhenTheyAreKnown) {
  Json args = testing::AbaloneArgs();
  EXPECT_TRUE(ValidatePrepareArguments(args).ok());
  args["transforms"][0]["columns"][1] = "diamter";
  EXPECT_EQ(ValidatePrepareArguments(args).message(),
            "transforms[0].columns: no column 'diamter' (columns: sex, length, diameter, height, whole_weight, "
            "shucked_weight, viscera_weight, shell_weight, rings)");
  // With a header the names are only known once the file is read.
  Json churn = testing::ChurnArgs();
  churn["drop"][0] = "Phon";
  EXPECT_TRUE(ValidatePrepareArguments(churn).ok());
  EXPECT_EQ(ValidatePrepareArguments(Json::parse(R"({"input": "x"})")).message(),
            "label: required (a column name or {column: c, positive: value})");
}

}  // namespace
}  // namespace grove::data
