#include "data/table_transform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "data/cell_text.h"
#include "data/csv_reader.h"
#include "data/prepare_spec.h"

namespace grove::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Prepared {
  FittedTransform transform;
  LabeledMatrix matrix;
};

// Reads `csv` as "in.csv" with the options the arguments imply, then fits and
// applies the transforms (no drop, filter or split).
Result<Prepared> Prepare(const std::string& csv, Json args) {
  args["input"] = "in.csv";
  ASSIGN_OR_RETURN(PrepareSpec spec, ParsePrepareSpec(args));
  CsvReader reader(CsvOptionsFor(spec));
  RETURN_IF_ERROR(reader.AddText(csv, "in.csv"));
  ASSIGN_OR_RETURN(Table table, reader.Finish());
  std::vector<std::string> names;
  for (const Column& column : table.columns()) names.push_back(column.name);
  RETURN_IF_ERROR(CheckColumnReferences(spec, names));
  ASSIGN_OR_RETURN(FittedTransform transform, FitTransform(spec, {}, &table));
  ASSIGN_OR_RETURN(LabeledMatrix matrix, ApplyTransform(transform, &table));
  return Prepared{std::move(transform), std::move(matrix)};
}

std::vector<double> Row(const LabeledMatrix& m, size_t r) { return {m.row(r), m.row(r) + m.width}; }

TEST(TableTransformTest, MedianImputeThenStandardScale) {
  // x: 1, -, 3, 4. Median of 1, 3, 4 is 3; imputed 1, 3, 3, 4 has mean 2.75 and
  // squared deviations 3.0625 + 0.0625 + 0.0625 + 1.5625 = 4.75, so std = sqrt(4.75 / 4).
  Result<Prepared> p = Prepare("v,x\n10,1\n11,\n12,3\n13,4\n", Json::parse(R"({"label": "v", "transforms": [
                                 {"columns": ["x"], "impute": "median", "scale": "standard"}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const FeatureColumn& x = p->transform.input_columns()[0];
  EXPECT_EQ(x.impute, 3.0);
  EXPECT_EQ(x.mean, 2.75);
  const double std = std::sqrt(4.75 / 4);
  EXPECT_DOUBLE_EQ(x.std, std);
  EXPECT_THAT(p->transform.feature_names(), ElementsAre("x"));
  EXPECT_THAT(Row(p->matrix, 0), ElementsAre(10.0, (1 - 2.75) / std));
  EXPECT_THAT(Row(p->matrix, 1), ElementsAre(11.0, (3 - 2.75) / std));
  EXPECT_THAT(Row(p->matrix, 3), ElementsAre(13.0, (4 - 2.75) / std));
}

TEST(TableTransformTest, MeanAndConstantImputeAndPassThrough) {
  Result<Prepared> p =
      Prepare("v,y,z,w\n1,2,,5\n2,,1,\n3,4,1,6\n4,9,1,7\n", Json::parse(R"({"label": "v", "transforms": [
                                 {"columns": ["z"], "impute": {"constant": 7}},
                                 {"columns": ["y"], "impute": "mean"}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->transform.input_columns()[0].impute, 5.0);  // (2 + 4 + 9) / 3.
  EXPECT_EQ(p->transform.input_columns()[1].impute, 7.0);
  EXPECT_THAT(p->transform.feature_names(), ElementsAre("y", "z", "w"));
  EXPECT_THAT(Row(p->matrix, 0), ElementsAre(1.0, 2.0, 7.0, 5.0));
  const std::vector<double> row1 = Row(p->matrix, 1);
  EXPECT_EQ(row1[1], 5.0);
  EXPECT_EQ(row1[2], 1.0);
  EXPECT_TRUE(std::isnan(row1[3]));  // A pass-through column keeps its missing cell.
}

TEST(TableTransformTest, ConstantColumnScalesToZero) {
  Result<Prepared> p =
      Prepare("v,c\n1,0.1\n2,0.1\n3,0.1\n",
              Json::parse(R"({"label": "v", "transforms": [{"columns": ["c"], "scale": "standard"}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->transform.input_columns()[0].std, 1.0);
  EXPECT_EQ(p->matrix.row(2)[1], 0.0);
}

TEST(TableTransformTest, OneHotLayoutCategoryOrderAndMissing) {
  Result<Prepared> p = Prepare("color,v,code,n\nred,1,10,5\nblue,2,9,6\n,3,10,7\nred,4,100,8\n",
                               Json::parse(R"({"label": "v", "transforms": [
                                 {"columns": ["code"], "one_hot": true},
                                 {"columns": ["color"], "one_hot": {"unknown": "ignore"}}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // Numeric features first, then the one-hot blocks in input-column order;
  // numeric categories sort as numbers.
  EXPECT_THAT(p->transform.feature_names(),
              ElementsAre("n", "color_blue", "color_red", "code_9", "code_10", "code_100"));
  EXPECT_THAT(Row(p->matrix, 0), ElementsAre(1, 5, 0, 1, 0, 1, 0));
  EXPECT_THAT(Row(p->matrix, 1), ElementsAre(2, 6, 1, 0, 1, 0, 0));
  EXPECT_THAT(Row(p->matrix, 2), ElementsAre(3, 7, 0, 0, 0, 1, 0));  // Missing color: all zeros.
  EXPECT_THAT(Row(p->matrix, 3), ElementsAre(4, 8, 0, 1, 0, 0, 1));
  // At apply time an unseen category gives all zeros; raw rows are color, code, n.
  Result<std::vector<double>> row = p->transform.ApplyToRow({"green", "9", "1"});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_THAT(*row, ElementsAre(1, 0, 0, 1, 0, 0));
}

TEST(TableTransformTest, OneHotConstantImputeAddsItsCategory) {
  Result<Prepared> p = Prepare("s,v\nM,1\n,2\nF,3\n", Json::parse(R"({"label": "v", "transforms": [
                                 {"columns": ["s"], "impute": {"constant": "missing"}, "one_hot": true}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(p->transform.feature_names(), ElementsAre("s_F", "s_M", "s_missing"));
  EXPECT_THAT(Row(p->matrix, 1), ElementsAre(2, 0, 0, 1));
}

TEST(TableTransformTest, TextPassThroughColumnMustBeEncodedOrDropped) {
  Result<Prepared> p = Prepare("v,state\n1,PA\n2,SC\n", Json::parse(R"({"label": "v"})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "in.csv:2:2: column 'state': 'PA' is not a number; it is text: one-hot encode it "
            "(transforms: [{columns: [state], one_hot: true}]) or drop it (drop: [state])");
}

TEST(TableTransformTest, NonNumericCellInNumericTransformNamesLineAndColumn) {
  Result<Prepared> p =
      Prepare("v,length\n1,0.5\n2,abc\n",
              Json::parse(R"({"label": "v", "transforms": [{"columns": ["length"], "impute": "median"}]})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "in.csv:3:2: column 'length': 'abc' is not a number");
}

TEST(TableTransformTest, RegressionLabelMustBeNumericAndPresent) {
  Result<Prepared> p = Prepare("x,v\n1,2\n2,x\n", Json::parse(R"({"label": "v"})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "in.csv:3:2: column 'v': 'x' is not a number");
  p = Prepare("x,v\n1,2\n2,\n", Json::parse(R"({"label": "v"})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "in.csv:3:2: the label 'v' is empty");
}

TEST(TableTransformTest, ClassificationLabelMapsPositiveToOne) {
  Result<Prepared> p = Prepare("x,Churn?\n1,True.\n2,False.\n3,True.\n",
                               Json::parse(R"({"label": {"column": "Churn?", "positive": "True."}})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(Row(p->matrix, 0), ElementsAre(1, 1));
  EXPECT_THAT(Row(p->matrix, 1), ElementsAre(0, 2));
  EXPECT_THAT(Row(p->matrix, 2), ElementsAre(1, 3));
  // A numeric positive value matches numerically.
  p = Prepare("x,y\n1,1\n2,0\n", Json::parse(R"({"label": {"column": "y", "positive": 1}})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->matrix.row(0)[0], 1.0);
  EXPECT_EQ(p->matrix.row(1)[0], 0.0);
}

TEST(TableTransformTest, PositiveValueThatNoRowHasIsAnError) {
  Result<Prepared> p =
      Prepare("x,Churn?\n1,True.\n2,False.\n", Json::parse(R"({"label": {"column": "Churn?", "positive": "True"}})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "label.positive: no row has Churn? = 'True' (values: 'False.', 'True.'): one class only, so AUC is "
            "undefined; binary classification needs rows of both classes (check label.positive and the filters)");
}

// The message of Prepare's error, or "ok".
std::string PrepareError(const std::string& csv, const std::string& args) {
  Result<Prepared> p = Prepare(csv, Json::parse(args));
  return p.ok() ? "ok" : p.status().message();
}

// Issue 8: all-positive labels registered a model with auc "NaN", while
// all-negative labels failed clearly. Both fail alike now.
TEST(TableTransformTest, AllPositiveLabelsRegisterAucNaN) {
  const std::string args = R"({"label": {"column": "Churn?", "positive": "True."}})";
  EXPECT_EQ(PrepareError("x,Churn?\n1,True.\n2,True.\n", args),
            "label.positive: every row has Churn? = 'True.': one class only, so AUC is undefined; binary "
            "classification needs rows of both classes (check label.positive and the filters)");
  EXPECT_THAT(PrepareError("x,Churn?\n1,False.\n2,False.\n", args),
              HasSubstr("label.positive: no row has Churn? = 'True.' (values: 'False.'): one class only, so AUC is "
                        "undefined; binary classification needs rows of both classes"));
}

// Issue 8: a NaN label was reported as "empty". NaN and infinite labels are
// named as such, for classification labels too.
TEST(TableTransformTest, NanLabelIsReportedAsEmpty) {
  EXPECT_EQ(PrepareError("x,v\n1,2\n2,NaN\n", R"({"label": "v"})"),
            "in.csv:3:2: the label 'v' is NaN ('NaN'); every row needs a finite label: fix the cell or filter the "
            "row out");
  EXPECT_THAT(PrepareError("x,v\n1,-Infinity\n2,3\n", R"({"label": "v"})"),
              HasSubstr("in.csv:2:2: the label 'v' is infinite ('-Infinity')"));
  EXPECT_THAT(PrepareError("x,y\n1,yes\n2,nan\n3,no\n", R"({"label": {"column": "y", "positive": "yes"}})"),
              HasSubstr("in.csv:3:2: the label 'y' is NaN ('nan')"));
}

// Issue 8: non-finite cells were treated unlike each other (nan as missing,
// inf as text). Both are refused with file, line and column, whatever the
// column's use; the hint for text columns does not apply to them.
TEST(TableTransformTest, InfAndNanCellsAreTreatedUnlike) {
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"inf", "infinite"}, {"-inf", "infinite"}, {"Infinity", "infinite"}, {"+INF", "infinite"},
      {"1e999", "infinite"}, {"nan", "NaN"}, {"NaN", "NaN"}};
  const std::vector<std::string> transforms = {R"([{"columns": ["x"], "scale": "standard"}])",
                                               R"([{"columns": ["x"], "impute": "median"}])", "[]"};
  for (const auto& [cell, kind] : cells) {
    for (const std::string& t : transforms) {
      SCOPED_TRACE(cell + " with transforms " + t);
      EXPECT_EQ(PrepareError("v,x\n1,0\n2,\n3," + cell + "\n", R"({"label": "v", "transforms": )" + t + "}"),
                "in.csv:4:2: column 'x': '" + cell + "' is not a finite number (" + kind +
                    "); fix the cell, leave it empty to mark it missing, or filter the row out");
    }
  }
  // As a category of a one-hot column, "nan" is text like any other.
  Result<Prepared> p = Prepare("v,c\n1,nan\n2,inf\n", Json::parse(R"({"label": "v", "transforms": [
                                 {"columns": ["c"], "one_hot": true}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(p->transform.feature_names(), ElementsAre("c_inf", "c_nan"));
}

// Issue 8: a cell of 1e160 or 1e308 in a scaled column gave "std": null in the
// transform, zeros in the column, and a registered model that could not be served.
TEST(TableTransformTest, HugeCellInScaledColumnWritesZerosAndStdNull) {
  // Three cells `a` and one `b` scale to -1/sqrt(3) and sqrt(3) whatever a and b are.
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"0", "1e160"}, {"0", "1e308"}, {"-1.7e308", "1.7e308"}};  // The last overflows b - mean too.
  for (const auto& [a, b] : columns) {
    SCOPED_TRACE(a + ", " + b);
    const Json args = Json::parse(R"({"label": "v", "transforms": [{"columns": ["x"], "scale": "standard"}]})");
    Result<Prepared> p = Prepare("v,x\n1," + a + "\n2," + a + "\n3," + b + "\n4," + a + "\n", args);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    const double va = *ParseNumber(a), vb = *ParseNumber(b);
    const FeatureColumn& x = p->transform.input_columns()[0];
    EXPECT_DOUBLE_EQ(x.mean, 3 * (va / 4) + vb / 4);
    EXPECT_DOUBLE_EQ(x.std, (vb / 4 - va / 4) * std::sqrt(3.0));
    for (size_t r : {0, 1, 3}) EXPECT_NEAR(p->matrix.row(r)[1], -1 / std::sqrt(3.0), 1e-12) << r;
    EXPECT_NEAR(p->matrix.row(2)[1], std::sqrt(3.0), 1e-12);
    // The transform survives its JSON form and scales a served raw row the same way.
    Json json = Json::parse(p->transform.ToJson().dump());
    EXPECT_TRUE(json["input_columns"][0]["scale"]["std"].is_number()) << json.dump();
    Result<FittedTransform> loaded = FittedTransform::FromJson(json);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    Result<std::vector<double>> features = loaded->ApplyToRow(std::vector<std::string>{b});
    ASSERT_TRUE(features.ok()) << features.status().ToString();
    EXPECT_NEAR((*features)[0], std::sqrt(3.0), 1e-12);
  }
}

TEST(TableTransformTest, NoValuesToImputeFrom) {
  Result<Prepared> p =
      Prepare("v,x\n1,\n2,\n", Json::parse(R"({"label": "v", "transforms": [{"columns": ["x"], "impute": "mean"}]})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "transforms[0].impute: column 'x' has no values to impute from");
}

}  // namespace
}  // namespace grove::data
