#include "serving/payload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace grove::serving {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ErrorOf(const Result<PredictRequest>& r) {
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(PayloadTest, SeedZeroJsonWithCsvData) {
  auto r = ParseJsonRequest(R"({"model": "sklearn-multimodel-breast-cancer", "data": "1,2.5,-3\n4,,6e1\n"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->model, "sklearn-multimodel-breast-cancer");
  EXPECT_EQ(r->input, InputKind::kFeatures);
  EXPECT_EQ(r->output, OutputRequest::kDefault);
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->cols, 3u);
  ASSERT_EQ(r->features.size(), 6u);
  EXPECT_FLOAT_EQ(r->features[1], 2.5f);
  EXPECT_TRUE(std::isnan(r->features[4]));  // Empty cell: missing.
  EXPECT_FLOAT_EQ(r->features[5], 60.0f);
  EXPECT_TRUE(r->cells.empty());
}

TEST(PayloadTest, RawInputKeepsCellsAsTextWithQuotes) {
  auto r = ParseJsonRequest(
      R"({"data": "M,0.455,\"a,b\"\r\n\nF,0.5,\"say \"\"hi\"\"\"", "input": "raw", "output": "label"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->input, InputKind::kRaw);
  EXPECT_EQ(r->output, OutputRequest::kLabel);
  EXPECT_EQ(r->rows, 2u);
  EXPECT_THAT(r->cells, ElementsAre("M", "0.455", "a,b", "F", "0.5", "say \"hi\""));
  EXPECT_TRUE(r->features.empty());
}

TEST(PayloadTest, InstancesOfNumbersNullsAndNumericStrings) {
  auto r = ParseJsonRequest(R"({"instances": [[1, null, "2.5"], {"features": [4, 5, 6]}], "model": "m/2"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->model, "m/2");
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->cols, 3u);
  EXPECT_FLOAT_EQ(r->features[0], 1.0f);
  EXPECT_TRUE(std::isnan(r->features[1]));
  EXPECT_FLOAT_EQ(r->features[2], 2.5f);
  EXPECT_FLOAT_EQ(r->features[5], 6.0f);
}

TEST(PayloadTest, RawInstancesTurnNumbersIntoText) {
  auto r = ParseJsonRequest(R"({"instances": [["PA", 163, 8.25, null]], "input": "raw"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->cells, ElementsAre("PA", "163", "8.25", ""));
}

TEST(PayloadTest, CsvBodyByContentType) {
  auto r = ParseRequest("1,2\n3,4\n", "Text/CSV; charset=utf-8");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 2u);
  EXPECT_THAT(r->features, ElementsAre(1, 2, 3, 4));
  auto raw = ParseRequest("x,1\n", "text/csv", InputKind::kRaw);
  ASSERT_TRUE(raw.ok());
  EXPECT_THAT(raw->cells, ElementsAre("x", "1"));
  auto json = ParseRequest(R"({"instances": [[1]]})", "application/json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->rows, 1u);
  auto empty = ParseCsvRequest("\n\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->rows, 0u);
}

TEST(PayloadTest, MalformedJsonGivesTheBytePosition) {
  std::string e = ErrorOf(ParseJsonRequest(R"({"data": "1,2", x})"));
  EXPECT_THAT(e, HasSubstr("malformed JSON at byte 17"));
  EXPECT_THAT(e, HasSubstr("line 1, column 17"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest("")), HasSubstr("malformed JSON at byte 1"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest("[1, 2]")), HasSubstr("expected a JSON object, got array"));
}

TEST(PayloadTest, NonNumericCellNamesRowColumnAndCell) {
  EXPECT_EQ(ErrorOf(ParseJsonRequest(R"({"data": "1,2\n3,abc"})")),
            "data: row 2, column 2: 'abc' is not a number");
  EXPECT_EQ(ErrorOf(ParseCsvRequest("1,2,3\n4,5,6\n7,8,nine\n")), "row 3, column 3: 'nine' is not a number");
  EXPECT_EQ(ErrorOf(ParseJsonRequest(R"({"instances": [[1, 2], [3, "x"]]})")),
            "instances: row 2, column 2: 'x' is not a number");
  EXPECT_EQ(ErrorOf(ParseJsonRequest(R"({"instances": [[true]]})")),
            "instances: row 1, column 1: expected a number, string or null, got boolean");
  EXPECT_THAT(ErrorOf(ParseCsvRequest("1e400")), HasSubstr("row 1, column 1: '1e400' is not a number"));
  EXPECT_THAT(ErrorOf(ParseCsvRequest("1e39")), HasSubstr("out of float range"));
}

TEST(PayloadTest, RaggedRowsNameTheRowAndCounts) {
  EXPECT_EQ(ErrorOf(ParseJsonRequest(R"({"data": "1,2,3\n4,5\n"})")),
            "data: row 2 has 2 values, expected 3 like row 1");
  EXPECT_EQ(ErrorOf(ParseJsonRequest(R"({"instances": [[1], [2], [3, 4]]})")),
            "instances: row 3 has 2 values, expected 1 like row 1");
  EXPECT_EQ(ErrorOf(ParseCsvRequest("1,2\n\"3")), "row 2: a quoted cell is not closed");
}

TEST(PayloadTest, FieldErrors) {
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"data": "1", "intput": "raw"})")), HasSubstr("unknown field 'intput'"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"data": "1", "input": "rows"})")),
              HasSubstr("input: expected \"features\" or \"raw\", got 'rows'"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"data": "1", "output": 1})")), HasSubstr("output: expected a string"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"model": "m"})")), HasSubstr("exactly one of"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"data": "1", "instances": [[1]]})")), HasSubstr("exactly one of"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"instances": {"a": 1}})")), HasSubstr("instances: expected an array"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"instances": [1, 2]})")),
              HasSubstr("instances[0]: expected an array of values"));
  EXPECT_THAT(ErrorOf(ParseJsonRequest(R"({"data": 5})")), HasSubstr("data: expected a string, got number"));
}

TEST(PayloadTest, EncodesJsonAndCsv) {
  Predictions values{.rows = 2, .per_row = 1, .values = {0.5, 12.25}};
  EXPECT_EQ(EncodePredictions(values, ResponseFormat::kJson), R"({"predictions":[0.5,12.25]})");
  EXPECT_EQ(EncodePredictions(values, ResponseFormat::kCsv), "0.5\n12.25\n");
  Predictions probs{.rows = 2, .per_row = 3, .values = {0.1, 0.2, 0.7, 0.3, 0.3, 0.4}, .arrays = true};
  probs.values[0] = static_cast<float>(0.1);  // A float output widened to double prints as the float.
  EXPECT_EQ(EncodePredictions(probs, ResponseFormat::kJson),
            R"({"predictions":[[0.1,0.2,0.7],[0.3,0.3,0.4]]})");
  EXPECT_EQ(EncodePredictions(probs, ResponseFormat::kCsv), "0.1,0.2,0.7\n0.3,0.3,0.4\n");
  Predictions labels{.rows = 3, .per_row = 1, .values = {1, 0, 2}, .labels = true};
  EXPECT_EQ(EncodePredictions(labels, ResponseFormat::kJson), R"({"predictions":[1,0,2]})");
  Predictions none;
  EXPECT_EQ(EncodePredictions(none, ResponseFormat::kJson), R"({"predictions":[]})");
  Predictions nan{.rows = 1, .per_row = 1, .values = {std::nan("")}};
  EXPECT_EQ(EncodePredictions(nan, ResponseFormat::kJson), R"({"predictions":[null]})");
}

TEST(PayloadTest, AcceptPicksTheResponseFormat) {
  EXPECT_EQ(ResponseFormatOf(""), ResponseFormat::kJson);
  EXPECT_EQ(ResponseFormatOf("*/*"), ResponseFormat::kJson);
  EXPECT_EQ(ResponseFormatOf("text/csv"), ResponseFormat::kCsv);
  EXPECT_EQ(ResponseFormatOf("text/csv, application/json;q=0.5"), ResponseFormat::kCsv);
  EXPECT_EQ(ResponseFormatOf("application/json, text/csv"), ResponseFormat::kJson);
  EXPECT_STREQ(ContentTypeOf(ResponseFormat::kCsv), "text/csv");
  EXPECT_STREQ(ContentTypeOf(ResponseFormat::kJson), "application/json");
}

}  // namespace
}  // namespace grove::serving
