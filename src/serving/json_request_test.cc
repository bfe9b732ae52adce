#include "serving/json_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "serving/json_scanner.h"

namespace grove::serving {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Equal field by field; features bit for bit, so NaN equals NaN and -0 differs from 0.
void ExpectSameRequest(const PredictRequest& a, const PredictRequest& b, const std::string& body) {
  SCOPED_TRACE(body);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.output, b.output);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.cols, b.cols);
  EXPECT_EQ(a.cells, b.cells);
  ASSERT_EQ(a.features.size(), b.features.size());
  for (size_t i = 0; i < a.features.size(); ++i) {
    EXPECT_EQ(std::memcmp(&a.features[i], &b.features[i], sizeof(float)), 0) << "feature " << i;
  }
}

// The scanner accepts `body` and reads what the document reader reads.
void ExpectScannedLikeDocument(const std::string& body) {
  PredictRequest scanned;
  ASSERT_TRUE(ScanJsonRequest(body, &scanned)) << body;
  Result<PredictRequest> document = ReadJsonDocument(body);
  ASSERT_TRUE(document.ok()) << body << ": " << document.status().ToString();
  ExpectSameRequest(scanned, *document, body);
}

// The scanner leaves `body` to the document reader, and ParseJsonRequest gives its error.
std::string ErrorLeftToDocument(const std::string& body) {
  PredictRequest scanned;
  EXPECT_FALSE(ScanJsonRequest(body, &scanned)) << body;
  Result<PredictRequest> parsed = ParseJsonRequest(body);
  EXPECT_FALSE(parsed.ok()) << body;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), ReadJsonDocument(body).status().message());
  return parsed.status().message();
}

TEST(JsonRequestTest, ScannerReadsEveryAcceptedShapeLikeTheDocumentReader) {
  for (const std::string body : {
           R"({"model": "sklearn-multimodel-breast-cancer", "data": "1,2.5,-3\n4,,6e1\n"})",
           R"({"model":"AbalonePackageGroup","data":"M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n","input":"raw"})",
           R"({"input": "raw", "data": "M,0.455,\"a,b\"\r\n\nF,0.5,\"say \"\"hi\"\"\""})",
           R"({"instances": [[1, null, "2.5"], {"features": [4, 5, 6]}], "model": "m/2", "output": "label"})",
           R"({"instances": [["PA", 163, 8.25, null]], "input": "raw"})",
           R"({"instances": [[0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0]]})",
           R"({"instances":[{"features":[0.1,-0.2,0.3]}],"output":"probability","input":"features"})",
           R"({"instances": []})",
           R"({"instances": [[], []]})",
           R"({"data": ""})",
           " \t\r\n{ \"data\" : \"1\" , \"model\" : \"\" } \n",
       }) {
    ExpectScannedLikeDocument(body);
  }
}

TEST(JsonRequestTest, NumbersInEveryJsonForm) {
  ExpectScannedLikeDocument(
      R"({"instances": [[0, -0, 7, -12, 1.5, -0.25, 1e2, 1E+2, 2.5e-3, -3.25E-1, 0.0, -0.0, 123456789012345678901234,
                         3.4028234e38, 1e-40]]})");
  ExpectScannedLikeDocument(
      R"({"input": "raw", "instances": [[0, -0, 7, -12, 1.5, 1e2, 1E+2, 2.5e-3, 123456789012345678901234, -0.0]]})");
  PredictRequest r;
  ASSERT_TRUE(ScanJsonRequest(R"({"instances": [[-0, 1E+2, 2.5e-3]]})", &r));
  EXPECT_FALSE(std::signbit(r.features[0]));  // An integer -0 is 0, as integer JSON readers have it.
  EXPECT_THAT(r.features, ElementsAre(0.0f, 100.0f, 0.0025f));
  PredictRequest raw;
  ASSERT_TRUE(ScanJsonRequest(R"({"input": "raw", "instances": [[1e2, 2.50, -0]]})", &raw));
  EXPECT_THAT(raw.cells, ElementsAre("100", "2.5", "0"));

  for (const char* bad : {"01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "NaN", "Infinity", "-Infinity", "0x10",
                          "1.5.2", "1e400"}) {
    std::string message = ErrorLeftToDocument(std::string(R"({"instances": [[)") + bad + "]]}");
    EXPECT_THAT(message, HasSubstr("malformed JSON")) << bad;
  }
  // A float overflow is the cell's error, not the JSON's.
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1, 1e39]]})"), "instances: row 1, column 2: 1e+39 is out of float range");
}

TEST(JsonRequestTest, EscapesInStrings) {
  ExpectScannedLikeDocument(R"({"data": "1,2\n3,4\r\n5,\t6\n", "model": "a\/b"})");
  ExpectScannedLikeDocument(R"({"input": "raw", "instances": [["\"q\"", "back\\slash", "\u0041\u00e9\u20ac", "\ud83d\ude00",
                                                               "\b\f"]]})");
  ExpectScannedLikeDocument(R"({"\u006dodel": "m", "d\u0061ta": "1"})");  // Escaped field names.
  PredictRequest r;
  ASSERT_TRUE(ScanJsonRequest(R"({"input": "raw", "instances": [["\u0041\u00e9\u20ac\ud83d\ude00", "a\"b"]]})", &r));
  EXPECT_THAT(r.cells, ElementsAre("A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "a\"b"));
  // Raw UTF-8 is valid JSON; the scanner leaves it to the document reader.
  PredictRequest utf8;
  EXPECT_FALSE(ScanJsonRequest("{\"input\": \"raw\", \"instances\": [[\"\xC3\xA9\"]]}", &utf8));
  Result<PredictRequest> read = ParseJsonRequest("{\"input\": \"raw\", \"instances\": [[\"\xC3\xA9\"]]}");
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(read->cells, ElementsAre("\xC3\xA9"));

  for (const char* bad : {R"("\x")", R"("\u12")", R"("\u12G4")", R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")",
                          "\"tab\there\"", "\"\xC3\"", R"("open)", R"("\)"}) {
    EXPECT_THAT(ErrorLeftToDocument(std::string(R"({"input": "raw", "instances": [[)") + bad + "]]}"),
                HasSubstr("malformed JSON"))
        << bad;
  }
}

TEST(JsonRequestTest, MalformedJsonAtItsByteOffset) {
  std::string e = ErrorLeftToDocument(R"({"data": "1,2", x})");
  EXPECT_THAT(e, HasSubstr("malformed JSON at byte 17"));
  EXPECT_THAT(e, HasSubstr("line 1, column 17"));
  EXPECT_THAT(ErrorLeftToDocument(""), HasSubstr("malformed JSON at byte 1"));
  EXPECT_THAT(ErrorLeftToDocument("   "), HasSubstr("malformed JSON at byte 4"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"data": "1"} x)"), HasSubstr("malformed JSON at byte 15"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"data": "1",})"), HasSubstr("malformed JSON at byte 14"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"instances": [[1, 2,]]})"), HasSubstr("malformed JSON at byte 22"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"instances": [[1 2]]})"), HasSubstr("malformed JSON at byte 19"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"instances": [[nul]]})"), HasSubstr("malformed JSON at byte"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"instances": [[1]])"), HasSubstr("malformed JSON at byte 20"));
  EXPECT_EQ(ErrorLeftToDocument("[1, 2]"), "expected a JSON object, got array");
  EXPECT_EQ(ErrorLeftToDocument("\"data\""), "expected a JSON object, got string");
}

TEST(JsonRequestTest, RaggedRowsAndBadCellsNameRowAndColumn) {
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1,2,3\n4,5\n"})"), "data: row 2 has 2 values, expected 3 like row 1");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1], [2], [3, 4]]})"),
            "instances: row 3 has 2 values, expected 1 like row 1");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1, 2], {"features": [3]}]})"),
            "instances: row 2 has 1 values, expected 2 like row 1");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1,2\n3,abc"})"), "data: row 2, column 2: 'abc' is not a number");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1,\"2"})"), "data: row 1: a quoted cell is not closed");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1, 2], [3, "x"]]})"),
            "instances: row 2, column 2: 'x' is not a number");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[true]]})"),
            "instances: row 1, column 1: expected a number, string or null, got boolean");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1, [2]]]})"),
            "instances: row 1, column 2: expected a number, string or null, got array");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[{"a": 1}]]})"),
            "instances: row 1, column 1: expected a number, string or null, got object");
}

TEST(JsonRequestTest, FieldErrors) {
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1", "intput": "raw"})"),
            "unknown field 'intput' (fields: model, data, instances, input, output)");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1", "input": "rows"})"),
            "input: expected \"features\" or \"raw\", got 'rows'");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1", "output": "labels"})"),
            "output: expected \"probability\" or \"label\", got 'labels'");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1", "output": 1})"), "output: expected a string, got number");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": "1", "model": null})"), "model: expected a string, got null");
  EXPECT_EQ(ErrorLeftToDocument(R"({"data": 5})"), "data: expected a string, got number");
  EXPECT_THAT(ErrorLeftToDocument(R"({"model": "m"})"), HasSubstr("exactly one of"));
  EXPECT_THAT(ErrorLeftToDocument("{}"), HasSubstr("exactly one of"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"data": "1", "instances": [[1]]})"), HasSubstr("exactly one of"));
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": {"a": 1}})"), "instances: expected an array of rows");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [1, 2]})"), "instances[0]: expected an array of values");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [[1], {"values": [2]}]})"),
            "instances[1]: expected an array of values");
  EXPECT_EQ(ErrorLeftToDocument(R"({"instances": [{"features": {"a": 1}}]})"),
            "instances[0]: expected an array of values");
}

TEST(JsonRequestTest, ValidFormsTheScannerLeavesToTheDocumentReader) {
  // Extra members beside "features" are ignored; a repeated field keeps its last value.
  for (const std::string& body : std::vector<std::string>{R"({"instances": [{"features": [1, 2], "id": 7}]})",
                                 R"({"instances": [{"id": 7, "features": [1, 2]}]})",
                                 R"({"data": "1", "data": "2,3"})",
                                 std::string("{\"data\": \"1\"}\0", 14)}) {  // nlohmann stops at a NUL.
    PredictRequest scanned;
    EXPECT_FALSE(ScanJsonRequest(body, &scanned)) << body;
    Result<PredictRequest> parsed = ParseJsonRequest(body);
    ASSERT_TRUE(parsed.ok()) << body << ": " << parsed.status().ToString();
    ExpectSameRequest(*parsed, *ReadJsonDocument(body), body);
  }
  EXPECT_EQ(ParseJsonRequest(R"({"data": "1", "data": "2,3"})")->cols, 2u);
  // Underflow reads as zero, whichever reader takes it.
  Result<PredictRequest> tiny = ParseJsonRequest(R"({"instances": [[1e-400]]})");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ(tiny->features[0], 0.0f);
}

TEST(JsonRequestTest, HugeAndDeepInputsNeitherCrashNorHang) {
  // 100,000 nested arrays, open and closed: valid JSON, a bad cell.
  const size_t depth = 100000;
  std::string deep = R"({"instances": [[)" + std::string(depth, '[') + std::string(depth, ']') + "]]}";
  EXPECT_THAT(ErrorLeftToDocument(deep), HasSubstr("expected a number, string or null, got array"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"instances": )" + std::string(depth, '[')), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorLeftToDocument(std::string(depth, '{')), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorLeftToDocument(R"({"model": ")" + std::string(depth, '\\')), HasSubstr("malformed JSON"));

  // 50,000 rows of 10 values, and a 1 MB CSV string.
  std::string rows = R"({"instances": [)";
  for (int r = 0; r < 50000; ++r) rows += std::string(r ? "," : "") + "[0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0]";
  rows += "]}";
  PredictRequest many;
  ASSERT_TRUE(ScanJsonRequest(rows, &many));
  EXPECT_EQ(many.rows, 50000u);
  EXPECT_EQ(many.features.size(), 500000u);
  std::string csv = R"({"data": ")";
  for (int r = 0; r < 30000; ++r) csv += "0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0\\n";
  csv += "\"}";
  ASSERT_TRUE(ScanJsonRequest(csv, &(many = {})));
  EXPECT_EQ(many.rows, 30000u);
}

TEST(JsonScannerTest, TokensAndPositions) {
  JsonScanner in(R"( { "a\tb" : [ -1.5e1 , null , true ] } )");
  std::string storage;
  std::string_view text;
  double x = 0;
  EXPECT_EQ(in.Peek(), '{');
  EXPECT_TRUE(in.Consume('{'));
  EXPECT_FALSE(in.Consume('}'));
  ASSERT_TRUE(in.ReadString(&text, &storage));
  EXPECT_EQ(text, "a\tb");
  EXPECT_TRUE(in.Consume(':'));
  EXPECT_TRUE(in.Consume('['));
  ASSERT_TRUE(in.ReadNumber(&x));
  EXPECT_EQ(x, -15);
  EXPECT_TRUE(in.Consume(','));
  EXPECT_FALSE(in.ReadLiteral("true"));
  EXPECT_TRUE(in.ReadLiteral("null"));
  EXPECT_TRUE(in.Consume(','));
  EXPECT_FALSE(in.ReadNumber(&x));
  EXPECT_TRUE(in.ReadLiteral("true"));
  EXPECT_FALSE(in.AtEnd());
  EXPECT_TRUE(in.Consume(']'));
  EXPECT_TRUE(in.Consume('}'));
  EXPECT_TRUE(in.AtEnd());
  EXPECT_EQ(in.Peek(), '\0');
  EXPECT_FALSE(in.Consume('\0'));
}

}  // namespace
}  // namespace grove::serving
