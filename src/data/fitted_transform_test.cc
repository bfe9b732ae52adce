#include "data/fitted_transform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace grove::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Raw rows: a (numeric), phone (dropped), s (one-hot); the label is not in them.
FittedTransform MakeTransform(bool unknown_is_error = false) {
  FeatureColumn a;
  a.name = "a";
  a.impute = 2;
  a.scale = true;
  a.mean = 1;
  a.std = 2;
  FeatureColumn s;
  s.name = "s";
  s.kind = FeatureKind::kOneHot;
  s.impute_text = "missing";
  s.categories = {"F", "I", "M"};
  s.unknown_is_error = unknown_is_error;
  Result<FittedTransform> t = FittedTransform::Create({s, a}, {{"phone", 1}}, {"rings", false, Json()});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

TEST(FittedTransformTest, LayoutPutsNumericFeaturesFirst) {
  FittedTransform t = MakeTransform();
  EXPECT_THAT(t.feature_names(), ElementsAre("a", "s_F", "s_I", "s_M"));
  EXPECT_EQ(t.feature_offset(0), 1u);  // s
  EXPECT_EQ(t.feature_offset(1), 0u);  // a
}

TEST(FittedTransformTest, ApplyToRowWithAndWithoutDroppedColumns) {
  FittedTransform t = MakeTransform();
  Result<std::vector<double>> row = t.ApplyToRow({"M", "3"});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_THAT(*row, ElementsAre(1.0, 0, 0, 1));  // (3 - 1) / 2 = 1.
  row = t.ApplyToRow({"I", "555-1234", "0"});
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_THAT(*row, ElementsAre(-0.5, 0, 1, 0));
}

TEST(FittedTransformTest, MissingAndUnknownCells) {
  FittedTransform t = MakeTransform();
  // Missing a -> 2 -> (2 - 1) / 2; missing s -> "missing", not a category: zeros.
  EXPECT_THAT(*t.ApplyToRow({"", ""}), ElementsAre(0.5, 0, 0, 0));
  EXPECT_THAT(*t.ApplyToRow({"X", "1"}), ElementsAre(0.0, 0, 0, 0));
  FittedTransform strict = MakeTransform(true);
  Result<std::vector<double>> row = strict.ApplyToRow({"X", "1"});
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().message(), "column 's' (input column 1): unknown category 'X'");
}

TEST(FittedTransformTest, BadCellsAndWidthsNameTheProblem) {
  FittedTransform t = MakeTransform();
  Result<std::vector<double>> row = t.ApplyToRow({"M", "abc"});
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().message(), "column 'a' (input column 2): 'abc' is not a number");
  row = t.ApplyToRow({"M"});
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().message(), "row has 1 cells, expected 2 (or 3 with the dropped columns)");
}

TEST(FittedTransformTest, SpanOverloadWritesIntoCallerStorage) {
  FittedTransform t = MakeTransform();
  std::vector<std::string_view> cells = {"F", "5"};
  double features[4] = {9, 9, 9, 9};
  ASSERT_TRUE(t.ApplyToRow(cells, features).ok());
  EXPECT_THAT(features, ElementsAre(2.0, 1, 0, 0));
}

TEST(FittedTransformTest, JsonRoundTrip) {
  FittedTransform t = MakeTransform();
  Json json = t.ToJson();
  EXPECT_EQ(json["format"], "grove.tabular_transform");
  EXPECT_EQ(json["format_version"], 1);
  EXPECT_EQ(json["input_columns"][1], Json::parse(R"({"name": "a", "kind": "numeric", "impute": 2.0,
                                                      "scale": {"mean": 1.0, "std": 2.0}})"));
  EXPECT_EQ(json["input_columns"][0]["categories"], Json::parse(R"(["F", "I", "M"])"));
  EXPECT_EQ(json["dropped_columns"], Json::parse(R"([{"name": "phone", "position": 1}])"));
  EXPECT_EQ(json["label"], Json::parse(R"({"column": "rings", "kind": "regression"})"));

  Result<FittedTransform> back = FittedTransform::FromJson(Json::parse(json.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), json);
  EXPECT_EQ(*back->ApplyToRow({"I", "x", "0"}), *t.ApplyToRow({"I", "x", "0"}));
}

TEST(FittedTransformTest, FromJsonRejectsBadDocuments) {
  Json json = MakeTransform().ToJson();
  Json bad = json;
  bad["format_version"] = 2;
  EXPECT_EQ(FittedTransform::FromJson(bad).status().message(), "transform: format_version: expected 1");
  bad = json;
  bad["input_columns"][1]["scale"]["std"] = 0;
  EXPECT_EQ(FittedTransform::FromJson(bad).status().message(),
            "transform: input_columns[1].scale.std: expected a positive number");
  bad = json;
  bad["input_columns"][0]["kind"] = "bucket";
  EXPECT_EQ(FittedTransform::FromJson(bad).status().message(),
            "transform: input_columns[0].kind: expected numeric or one_hot");
  bad = json;
  bad["format_version"] = "1";
  EXPECT_EQ(FittedTransform::FromJson(bad).status().message(), "transform: format_version: expected 1");
  bad = json;
  bad["input_columns"] = Json::object();
  EXPECT_EQ(FittedTransform::FromJson(bad).status().message(), "transform: input_columns: expected a list");
  bad = json;
  bad["feature_columns"][0] = "b";
  EXPECT_THAT(FittedTransform::FromJson(bad).status().message(), HasSubstr("feature_columns"));
}

TEST(FittedTransformTest, CreateRejectsAmbiguousLayouts) {
  FeatureColumn a_b;
  a_b.name = "a_b";
  FeatureColumn a;
  a.name = "a";
  a.kind = FeatureKind::kOneHot;
  a.categories = {"b"};
  EXPECT_EQ(FittedTransform::Create({a_b, a}, {}, {"y", false, Json()}).status().message(),
            "transform: feature_columns: two features are named 'a_b'; rename a column");
  EXPECT_EQ(FittedTransform::Create({a, a}, {}, {"y", false, Json()}).status().message(),
            "transform: input_columns: 'a' appears twice");
  EXPECT_EQ(FittedTransform::Create({a_b}, {{"p", 5}}, {"y", false, Json()}).status().message(),
            "transform: dropped_columns: position 5 is out of range or repeated");
}

TEST(FittedTransformTest, EncodeLabel) {
  Result<FittedTransform> t = FittedTransform::Create({}, {}, {"Churn?", true, Json("True.")});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t->EncodeLabel("True."), 1.0);
  EXPECT_EQ(*t->EncodeLabel("False."), 0.0);
  EXPECT_FALSE(t->EncodeLabel("").ok());
  FittedTransform r = MakeTransform();
  EXPECT_EQ(*r.EncodeLabel("15"), 15.0);
  EXPECT_EQ(r.EncodeLabel("x").status().message(), "the label 'rings': 'x' is not a number");
}

}  // namespace
}  // namespace grove::data
