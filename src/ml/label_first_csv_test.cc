#include "ml/label_first_csv.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/file_util.h"

namespace grove::ml {
namespace {

TEST(LabelFirstCsvTest, ReadsLabelsAndRowMajorFeatures) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,2,3\n4,5,6\n", "t.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 2u);
  EXPECT_EQ(m->cols, 2u);
  EXPECT_EQ(m->labels, (std::vector<float>{1, 4}));
  EXPECT_EQ(m->features, (std::vector<float>{2, 3, 5, 6}));
  EXPECT_EQ(m->Row(1)[0], 5.0f);
}

TEST(LabelFirstCsvTest, AcceptsCrlfBomBlanksSignsExponentsAndNoFinalNewline) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv(
      "\xEF\xBB\xBF"
      "7, +1.5 ,-2e-1\r\n\r\n\n0.25,3,1E2",
      "t.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, 2u);
  EXPECT_EQ(m->labels, (std::vector<float>{7, 0.25f}));
  EXPECT_EQ(m->features, (std::vector<float>{1.5f, -0.2f, 3, 100}));
}

TEST(LabelFirstCsvTest, EmptyFeatureCellIsMissing) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,,2\n0,3,\n", "t.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(std::isnan(m->features[0]));
  EXPECT_EQ(m->features[1], 2.0f);
  EXPECT_EQ(m->features[2], 3.0f);
  EXPECT_TRUE(std::isnan(m->features[3]));
}

TEST(LabelFirstCsvTest, NonNumberNamesFileLineColumnAndField) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,2,3\n4,5, x1\n", "data/train.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().message(), "data/train.csv:2:6: 'x1' is not a number (field 3)");
}

TEST(LabelFirstCsvTest, TextLabelIsNotANumber) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("M,0.45,0.36\n", "abalone.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "abalone.csv:1:1: 'M' is not a number (field 1)");
}

TEST(LabelFirstCsvTest, RaggedRowIsAnError) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,2,3\n\n4,5\n", "t.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "t.csv:3: expected 3 fields like line 1, got 2");
}

TEST(LabelFirstCsvTest, EmptyLabelIsAnError) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,2\n ,3\n", "t.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "t.csv:2:2: the label (field 1) is empty");
}

TEST(LabelFirstCsvTest, ValuesMustFitFloatAndLabelsBeFinite) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("1,nan,NaN\n0,3.4e38,-3.4e38\n", "t.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();  // A nan feature is missing, as XGBoost reads it.
  EXPECT_TRUE(std::isnan(m->features[0]) && std::isnan(m->features[1]));
  EXPECT_EQ(m->features[2], 3.4e38f);
  m = ParseLabelFirstCsv("1,2\n+1e39,3\n", "t.csv");
  EXPECT_EQ(m.status().message(),
            "t.csv:2:1: the label (field 1) '+1e39' is outside the float range (|x| <= 3.4028235e+38) of training; "
            "fix or rescale the label, or remove the row");
  m = ParseLabelFirstCsv("1,2\n-Infinity,3\n", "t.csv");
  EXPECT_EQ(m.status().message(),
            "t.csv:2:1: the label (field 1) '-Infinity' is infinite; fix or rescale the label, or remove the row");
  m = ParseLabelFirstCsv("nan,2\n", "t.csv");
  EXPECT_EQ(m.status().message(),
            "t.csv:1:1: the label (field 1) 'nan' is NaN; fix or rescale the label, or remove the row");
  m = ParseLabelFirstCsv("1,2,1e999\n", "t.csv");
  EXPECT_EQ(m.status().message(),
            "t.csv:1:5: '1e999' (field 3) is infinite; fix or rescale the column, or remove the row");
}

TEST(LabelFirstCsvTest, NoRowsIsAnError) {
  Result<LabeledMatrix> m = ParseLabelFirstCsv("\n\n", "t.csv");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "t.csv: no data rows");
}

TEST(LabelFirstCsvTest, ReadsFileAndReportsMissingFile) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "d.csv", "3,1\n4,2\n").ok());
  Result<LabeledMatrix> m = ReadLabelFirstCsv(dir.path() / "d.csv");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->labels, (std::vector<float>{3, 4}));
  Result<LabeledMatrix> missing = ReadLabelFirstCsv(dir.path() / "none.csv");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  // Data errors name the input by the name given, not by its path.
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "bad.csv", "3,1\n4,x\n").ok());
  EXPECT_EQ(ReadLabelFirstCsv(dir.path() / "bad.csv", "train").status().message(),
            "train:2:3: 'x' is not a number (field 2)");
  EXPECT_EQ(ReadLabelFirstCsv(dir.path() / "bad.csv").status().message(),
            (dir.path() / "bad.csv").string() + ":2:3: 'x' is not a number (field 2)");
}

}  // namespace
}  // namespace grove::ml
