#include "data/preparation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/file_util.h"
#include "data/cell_text.h"
#include "data/data_test_util.h"
#include "data/fitted_transform.h"

namespace grove::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadText;
using testing::SplitSimpleCsv;

// The numbers of a written split line; an empty cell is NaN.
std::vector<double> Numbers(const std::vector<std::string>& cells) {
  std::vector<double> numbers;
  for (const std::string& cell : cells) numbers.push_back(cell.empty() ? std::nan("") : *ParseNumber(cell));
  return numbers;
}

// Equal including NaN == NaN, bit for bit otherwise.
void ExpectSameValues(const std::vector<double>& actual, const std::vector<double>& expected, size_t line) {
  ASSERT_EQ(actual.size(), expected.size()) << "line " << line;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "line " << line << " feature " << i;
    } else {
      EXPECT_EQ(actual[i], expected[i]) << "line " << line << " feature " << i;
    }
  }
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  for (auto& cells : SplitSimpleCsv(text)) {
    std::string line;
    for (auto& c : cells) line += c + ",";
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Column `index` of the raw Abalone file, computed without grove::data.
std::vector<double> AbaloneColumn(size_t index) {
  std::vector<double> values;
  for (auto& cells : SplitSimpleCsv(ReadText(testing::AbalonePath()))) values.push_back(std::stod(cells[index]));
  return values;
}

TEST(PreparationTest, AbaloneLayoutSplitsAndFittedValues) {
  TempDir out;
  const auto start = std::chrono::steady_clock::now();
  Result<PrepareSummary> summary = RunPreparation(testing::AbaloneArgs(), out.path());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::cout << "Abalone preparation (with fsyncs): "
            << std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() << " us\n";
  EXPECT_THAT(summary->output_columns,
              ElementsAre("rings", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight",
                          "shell_weight", "sex_F", "sex_I", "sex_M"));
  EXPECT_EQ(summary->rows_read, 4177u);
  EXPECT_EQ(summary->rows_kept, 4177u);
  EXPECT_EQ(summary->split_rows.at("train"), 2923u);
  EXPECT_EQ(summary->split_rows.at("validation"), 627u);
  EXPECT_EQ(summary->split_rows.at("test"), 627u);
  EXPECT_THAT(summary->split_names, ElementsAre("train", "validation", "test"));
  EXPECT_EQ(summary->splits.at("test"), out.path() / "test");
  auto train = SplitSimpleCsv(ReadText(summary->splits.at("train")));
  ASSERT_EQ(train.size(), 2923u);
  for (auto& row : train) ASSERT_EQ(row.size(), 11u);

  // length: median 0.545, mean and population std computed here independently
  // (and by Python's statistics module: 0.5239920995930099, 0.1200785362060288).
  std::vector<double> length = AbaloneColumn(1);
  double mean = 0;
  for (double v : length) mean += v;
  mean /= static_cast<double>(length.size());
  double var = 0;
  for (double v : length) var += (v - mean) * (v - mean);
  const double std = std::sqrt(var / static_cast<double>(length.size()));
  std::sort(length.begin(), length.end());
  Json transform = Json::parse(ReadText(summary->transform));
  const Json& fitted = transform["input_columns"][1];
  EXPECT_EQ(fitted["name"], "length");
  EXPECT_EQ(fitted["impute"].get<double>(), length[length.size() / 2]);  // 4177 values: the middle one.
  EXPECT_EQ(fitted["impute"].get<double>(), 0.545);
  EXPECT_NEAR(fitted["scale"]["mean"].get<double>(), mean, 1e-15);
  EXPECT_NEAR(fitted["scale"]["std"].get<double>(), std, 1e-15);
  EXPECT_NEAR(std, 0.1200785362060288, 1e-15);
  EXPECT_EQ(transform["input_columns"][0]["categories"], Json::parse(R"(["F", "I", "M"])"));
  EXPECT_EQ(transform["label"], Json::parse(R"({"column": "rings", "kind": "regression"})"));
}

TEST(PreparationTest, AbaloneFirstRowUnshuffled) {
  TempDir out;
  Json args = testing::AbaloneArgs();
  args["shuffle"] = false;
  args["split"] = {{"train", 1}};
  Result<PrepareSummary> summary = RunPreparation(args, out.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto rows = SplitSimpleCsv(ReadText(summary->splits.at("train")));
  ASSERT_EQ(rows.size(), 4177u);
  // First line: M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15.
  std::vector<double> first = Numbers(rows[0]);
  EXPECT_EQ(first[0], 15.0);
  EXPECT_NEAR(first[1], -0.5745581331424153, 1e-12);  // (0.455 - mean) / std, from Python.
  EXPECT_NEAR(first[3], -1.0644241467266773, 1e-12);  // height.
  EXPECT_NEAR(first[7], -0.6382168891980088, 1e-12);  // shell_weight.
  EXPECT_THAT(std::vector<double>(first.begin() + 8, first.end()), ElementsAre(0, 0, 1));
  EXPECT_EQ(rows[2].back(), "0");  // F,...: sex_M.
  EXPECT_EQ(rows[2][8], "1");      // sex_F.
}

TEST(PreparationTest, ChurnLayoutMatchesGetDummies) {
  TempDir out;
  Json args = testing::ChurnArgs();
  args["shuffle"] = false;
  Result<PrepareSummary> summary = RunPreparation(args, out.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const std::vector<std::string>& columns = summary->output_columns;
  ASSERT_EQ(columns.size(), 100u);  // 1 label + 11 numeric + 51 + 33 + 2 + 2.
  EXPECT_THAT(std::vector<std::string>(columns.begin(), columns.begin() + 12),
              ElementsAre("Churn?", "Account Length", "VMail Message", "Day Mins", "Day Calls", "Eve Mins", "Eve Calls",
                          "Night Mins", "Night Calls", "Intl Mins", "Intl Calls", "CustServ Calls"));
  EXPECT_EQ(columns[12], "State_AK");
  EXPECT_EQ(columns[62], "State_WY");
  EXPECT_EQ(columns[63], "Area Code_657");  // Sorted as numbers.
  EXPECT_EQ(columns[95], "Area Code_878");
  EXPECT_THAT(std::vector<std::string>(columns.end() - 4, columns.end()),
              ElementsAre("Int'l Plan_no", "Int'l Plan_yes", "VMail Plan_no", "VMail Plan_yes"));
  EXPECT_EQ(summary->split_rows.at("train"), 3500u);
  EXPECT_EQ(summary->split_rows.at("validation"), 1000u);
  EXPECT_EQ(summary->split_rows.at("test"), 500u);

  // First row: PA,163,806,403-2562,no,yes,300,8.162204022,3,...,3,True.
  auto rows = SplitSimpleCsv(ReadText(summary->splits.at("train")));
  std::vector<double> first = Numbers(rows[0]);
  ASSERT_EQ(first.size(), 100u);
  EXPECT_EQ(first[0], 1.0);
  EXPECT_EQ(first[1], 163.0);
  EXPECT_EQ(first[2], 300.0);
  EXPECT_EQ(first[3], 8.162204022);
  EXPECT_EQ(first[11], 3.0);
  auto at = [&](const std::string& name) {
    return first[std::find(columns.begin(), columns.end(), name) - columns.begin()];
  };
  EXPECT_EQ(at("State_PA"), 1.0);
  EXPECT_EQ(at("Area Code_806"), 1.0);
  EXPECT_EQ(at("Int'l Plan_no"), 1.0);
  EXPECT_EQ(at("VMail Plan_yes"), 1.0);
  double ones = 0;
  for (size_t i = 12; i < first.size(); ++i) ones += first[i];
  EXPECT_EQ(ones, 4.0);
  EXPECT_EQ(Numbers(rows[1])[0], 0.0);  // False.
}

TEST(PreparationTest, SameSeedSameBytesOtherSeedOtherOrder) {
  TempDir a, b, c, unshuffled;
  Json args = testing::AbaloneArgs();
  ASSERT_TRUE(RunPreparation(args, a.path()).ok());
  ASSERT_TRUE(RunPreparation(args, b.path()).ok());
  for (const char* name : {"train", "validation", "test", "transform"}) {
    EXPECT_EQ(ReadText(a.path() / name), ReadText(b.path() / name)) << name;
  }
  args["split"]["seed"] = 43;
  ASSERT_TRUE(RunPreparation(args, c.path()).ok());
  EXPECT_NE(ReadText(a.path() / "train"), ReadText(c.path() / "train"));
  EXPECT_EQ(ReadText(a.path() / "transform"), ReadText(c.path() / "transform"));
  // The splits hold exactly the unshuffled rows.
  args["shuffle"] = false;
  args["split"] = {{"train", 1}};
  ASSERT_TRUE(RunPreparation(args, unshuffled.path()).ok());
  std::string all = ReadText(c.path() / "train") + ReadText(c.path() / "validation") + ReadText(c.path() / "test");
  EXPECT_EQ(SortedLines(all), SortedLines(ReadText(unshuffled.path() / "train")));
}

TEST(PreparationTest, StratifiedChurnKeepsClassRatios) {
  TempDir out;
  Json args = testing::ChurnArgs();
  args["split"]["stratify"] = true;
  Result<PrepareSummary> summary = RunPreparation(args, out.path());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const std::map<std::string, double> fractions = {{"train", 0.7}, {"validation", 0.2}, {"test", 0.1}};
  for (const auto& [name, fraction] : fractions) {
    double positives = 0;
    auto rows = SplitSimpleCsv(ReadText(out.path() / name));
    for (auto& row : rows) positives += row[0] == "1";
    EXPECT_NEAR(positives, fraction * 2498, 1.0) << name;
    EXPECT_NEAR(static_cast<double>(rows.size()) - positives, fraction * 2502, 1.0) << name;
  }
}

// Applies the transform file to every raw row and compares with the written
// rows. REQUIRES: the preparation ran without shuffle into one split "train".
void ExpectRoundTrip(const std::filesystem::path& out, const std::vector<std::vector<std::string>>& raw_rows,
                     size_t label_index) {
  Result<FittedTransform> transform = FittedTransform::FromJson(Json::parse(ReadText(out / "transform")));
  ASSERT_TRUE(transform.ok()) << transform.status().ToString();
  auto written = SplitSimpleCsv(ReadText(out / "train"));
  ASSERT_EQ(written.size(), raw_rows.size());
  for (size_t r = 0; r < raw_rows.size(); ++r) {
    std::vector<std::string> raw = raw_rows[r];
    raw.erase(raw.begin() + static_cast<ptrdiff_t>(label_index));
    Result<std::vector<double>> features = transform->ApplyToRow(raw);
    ASSERT_TRUE(features.ok()) << features.status().ToString();
    std::vector<double> expected = Numbers(written[r]);
    expected.erase(expected.begin());
    ExpectSameValues(*features, expected, r + 1);
  }
}

TEST(PreparationTest, FittedTransformReproducesAbaloneRows) {
  TempDir out;
  Json args = testing::AbaloneArgs();
  args["shuffle"] = false;
  args["split"] = {{"train", 1}};
  ASSERT_TRUE(RunPreparation(args, out.path()).ok());
  ExpectRoundTrip(out.path(), SplitSimpleCsv(ReadText(testing::AbalonePath())), 8);
}

TEST(PreparationTest, FittedTransformReproducesChurnRowsWithOrWithoutDroppedColumns) {
  TempDir out;
  Json args = testing::ChurnArgs();
  args["shuffle"] = false;
  args["split"] = {{"train", 1}};
  ASSERT_TRUE(RunPreparation(args, out.path()).ok());
  auto raw = SplitSimpleCsv(ReadText(testing::ChurnPath()));
  raw.erase(raw.begin());                // The header.
  ExpectRoundTrip(out.path(), raw, 20);  // Dropped columns present.
  for (auto& row : raw) {                // Remove Phone (3) and the four Charge columns (9, 12, 15, 18).
    for (size_t index : {18, 15, 12, 9, 3}) row.erase(row.begin() + static_cast<ptrdiff_t>(index));
  }
  ExpectRoundTrip(out.path(), raw, 15);
}

// Writes `csv` to a temporary file and runs the preparation with `args` on it.
Result<PrepareSummary> RunOn(const TempDir& dir, const std::string& csv, Json args) {
  const std::filesystem::path input = dir.path() / "in.csv";
  RETURN_IF_ERROR(WriteFileAtomic(input, csv));
  args["input"] = input.string();
  return RunPreparation(args, dir.path() / "out");
}

TEST(PreparationTest, DropAndFilterBeforeFitting) {
  TempDir dir;
  const std::string csv = "dim,id,x,y\nd1,555,1,10\nd2,556,100,20\nd1,557,3,30\nd1,558,5,40\nd3,559,7,50\n";
  Result<PrepareSummary> summary = RunOn(dir, csv, Json::parse(R"({
      "drop": ["id"], "label": "y", "shuffle": false,
      "filter": [{"column": "dim", "in": ["d1", "d3"]}, {"column": "x", "not_equals": 5}],
      "transforms": [{"columns": ["x"], "scale": "standard"}, {"columns": ["dim"], "one_hot": true}]})"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_read, 5u);
  EXPECT_EQ(summary->rows_kept, 3u);
  EXPECT_THAT(summary->output_columns, ElementsAre("y", "x", "dim_d1", "dim_d3"));
  // Kept x: 1, 3, 7: mean 11/3; the filtered-out 100 does not count.
  Json transform = Json::parse(ReadText(summary->transform));
  EXPECT_DOUBLE_EQ(transform["input_columns"][1]["scale"]["mean"].get<double>(), 11.0 / 3);
  EXPECT_EQ(transform["dropped_columns"], Json::parse(R"([{"name": "id", "position": 1}])"));
  auto rows = SplitSimpleCsv(ReadText(summary->splits.at("train")));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2][0], "50");
  EXPECT_THAT(std::vector<std::string>(rows[2].begin() + 2, rows[2].end()), ElementsAre("0", "1"));

  summary = RunOn(dir, csv, Json::parse(R"({"label": "y", "filter": [{"column": "dim", "equals": "d9"}],
                                            "transforms": [{"columns": ["dim"], "one_hot": true}]})"));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(), "filter: no row matches (of 5 rows read)");
  summary = RunOn(dir, csv, Json::parse(R"({"label": "y", "filter": [{"column": "x", "equals": "big"}],
                                            "transforms": [{"columns": ["dim"], "one_hot": true}]})"));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(), "filter[0].equals: column 'x' is numeric, but 'big' is not a number");
}

TEST(PreparationTest, FilterKeepsTextColumnsThatAreNumericInTheKeptRows) {
  TempDir dir;
  // x is text as read ("oops"), but numeric in the rows the filter keeps.
  Result<PrepareSummary> summary = RunOn(dir, "k,x,y\na,1,1\nb,oops,2\na,3,3\n", Json::parse(R"({
      "label": "y", "drop": ["k"], "filter": [{"column": "y", "not_equals": 2}], "shuffle": false})"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ReadText(summary->splits.at("train")), "1,1\n3,3\n");
  summary = RunOn(dir, "k,x,y\na,1,1\nb,oops,2\na,3,3\n", Json::parse(R"({
      "label": "y", "filter": [{"column": "k", "equals": "a"}], "transforms": [{"columns": ["k"], "one_hot": true}],
      "shuffle": false})"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ReadText(summary->splits.at("train")), "1,1,1\n3,3,1\n");
}

TEST(PreparationTest, BadCellErrorNamesFileLineAndColumn) {
  TempDir dir;
  std::string csv = ReadText(testing::AbalonePath());
  const size_t line3 = csv.find('\n', csv.find('\n') + 1) + 1;
  csv.replace(line3 + 2, 4, "abc");  // Line 3: F,0.53,... -> F,abc,...
  Result<PrepareSummary> summary = RunOn(dir, csv, testing::AbaloneArgs());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(),
            (dir.path() / "in.csv").string() + ":3:2: column 'length': 'abc' is not a number");

  summary = RunOn(dir, "M,0.4,0.3,0.1,0.5,0.2,0.1,0.15,15\nF,0.5,0.4,0.1,0.6,0.2,0.1,0.2\n", testing::AbaloneArgs());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(), (dir.path() / "in.csv").string() + ":2: row has 8 fields, expected 9");
}

// Issue 8: a value beyond float range in an unscaled column or a regression
// label passed preparation and failed later, in training or evaluation, naming
// a split file instead of the input cell.
TEST(PreparationTest, ValuesTrainingCannotHoldAreRefusedAtTheirCell) {
  TempDir dir;
  const std::string in = (dir.path() / "in.csv").string();
  const Json args = Json::parse(R"({"label": "y", "shuffle": false})");
  auto feature = RunOn(dir, "x,y\n1,1\n1e308,2\n", args);
  ASSERT_FALSE(feature.ok());
  EXPECT_EQ(feature.status().message(), in + ":3:1: column 'x': '1e+308' is outside the float range "
                                             "(|x| <= 3.4028235e+38) of training; fix or rescale it, or filter the row out");
  auto label = RunOn(dir, "x,y\n1,1\n2,-1e39\n", args);
  ASSERT_FALSE(label.ok());
  EXPECT_NE(label.status().message().find(in + ":3:2: the label 'y': '-1e+39' is outside the float range"),
            std::string::npos)
      << label.status().message();
  // Scaled, the same magnitude is fine: what training sees is (x - mean) / std.
  Json scaled = args;
  scaled["transforms"] = Json::parse(R"([{"columns": ["x"], "scale": "standard"}])");
  EXPECT_TRUE(RunOn(dir, "x,y\n1,1\n1e308,2\n", scaled).ok());
  EXPECT_TRUE(RunOn(dir, "x,y\n,1\n3.4e38,2\n", args).ok()) << "missing cells and FLT_MAX itself pass";
}

TEST(PreparationTest, ChurnTextColumnsMustBeEncodedOrDropped) {
  TempDir out;
  Json args = testing::ChurnArgs();
  args.erase("transforms");
  args.erase("categorical");
  Result<PrepareSummary> summary = RunPreparation(args, out.path());
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(),
            testing::ChurnPath() +
                ":2:1: column 'State': 'PA' is not a number; it is text: one-hot encode it "
                "(transforms: [{columns: [State], one_hot: true}]) or drop it (drop: [State])");
}

TEST(PreparationTest, InputAndSplitProblems) {
  TempDir dir;
  Json args = testing::AbaloneArgs();
  args["input"] = (dir.path() / "missing.csv").string();
  Result<PrepareSummary> summary = RunPreparation(args, dir.path() / "out");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(summary.status().message(), HasSubstr("input: cannot open"));

  summary = RunOn(dir, "x,y\n1,1\n2,2\n3,3\n", Json::parse(R"({"label": "y",
      "split": {"train": 0.7, "validation": 0.15, "test": 0.15}})"));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().message(),
            "split.validation: 3 rows leave this split empty; use more rows or a larger fraction");
}

TEST(PreparationTest, InvalidUtf8CategoryDoesNotThrow) {
  TempDir dir;
  Result<PrepareSummary> summary = RunOn(dir, "city,y\nM\xfcnchen,1\nBonn,2\n", Json::parse(R"({
      "label": "y", "transforms": [{"columns": ["city"], "one_hot": true}]})"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->output_columns.size(), 3u);
  EXPECT_THAT(ReadText(summary->transform), HasSubstr("\"M\xef\xbf\xbdnchen\""));  // U+FFFD.
}

TEST(PreparationTest, DirectoryInputConcatenatesFiles) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "in" / "part-2.csv", "x,y\n3,30\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "in" / "part-1.csv", "x,y\n1,10\n2,20\n").ok());
  Json args = Json::parse(R"({"label": "y", "shuffle": false})");
  args["input"] = (dir.path() / "in").string();
  Result<PrepareSummary> summary = RunPreparation(args, dir.path() / "out");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ReadText(summary->splits.at("train")), "10,1\n20,2\n30,3\n");
}

}  // namespace
}  // namespace grove::data
