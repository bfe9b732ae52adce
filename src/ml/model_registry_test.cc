#include "ml/model_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ml/label_first_csv.h"
#include "ml/test_data.h"

namespace grove::ml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const ModelRegistry& Registry() { return ModelRegistry::BuiltIn(); }

Dataset Binary() { return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(testing::BinaryCsv(120, 3, 2), "m").value()); }

// Small, fast settings per classification family.
Json QuickHyperparameters(const std::string& family) {
  if (family == "random_forest") return {{"n_estimators", 5}};
  if (family == "mlp") return {{"max_iter", 5}, {"hidden_layer_sizes", "4"}};
  if (family == "xgboost" || family == "lightgbm") return {{"n_estimators", 5}};
  return Json::object();
}

TEST(ModelRegistryTest, ListsFamiliesByTask) {
  EXPECT_THAT(Registry().FamilyNames(), ElementsAre("xgboost", "lightgbm", "random_forest", "logistic_regression",
                                                    "gaussian_nb", "mlp", "linear_regression", "ridge"));
  EXPECT_THAT(Registry().FamilyNames(TaskKind::kRegression), ElementsAre("xgboost", "lightgbm", "linear_regression", "ridge"));
}

TEST(ModelRegistryTest, UnknownFamilyListsTheValidOnes) {
  auto m = Registry().Create("svm", Json::object(), TaskKind::kBinaryClassification);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("unknown model family \"svm\"; valid: xgboost, lightgbm, random_forest"));
  EXPECT_EQ(Registry().Validate("mlp", {{"alpha", -1}}, TaskKind::kBinaryClassification).message(),
            "mlp.alpha: expected a number >= 0, got -1");
}

TEST(ModelRegistryTest, RegisterRefusesDuplicates) {
  ModelRegistry r;
  auto factory = [](const Json&, TaskKind) -> Result<std::unique_ptr<Model>> { return Status::Internal("unused"); };
  EXPECT_TRUE(r.Register({"a", {TaskKind::kRegression}, factory}).ok());
  EXPECT_EQ(r.Register({"a", {TaskKind::kRegression}, factory}).code(), StatusCode::kAlreadyExists);
}

TEST(ModelRegistryTest, EveryClassifierSavesAndLoadsExactly) {
  Dataset d = Binary();
  for (const std::string& family : Registry().FamilyNames(TaskKind::kBinaryClassification)) {
    SCOPED_TRACE(family);
    auto m = Registry().Create(family, QuickHyperparameters(family), TaskKind::kBinaryClassification);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ((*m)->Save().status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ((*m)->Predict(d.View()).status().code(), StatusCode::kFailedPrecondition);
    ASSERT_TRUE((*m)->Fit(d).ok());
    std::string bytes = (*m)->Save().value();
    auto loaded = Registry().Load(bytes);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ((*loaded)->family(), family);
    EXPECT_EQ((*loaded)->hyperparameters(), QuickHyperparameters(family));
    EXPECT_EQ((*loaded)->Save().value(), bytes);
    EXPECT_EQ((*loaded)->PredictProba(d.View()).value(), (*m)->PredictProba(d.View()).value());
    std::vector<double> labels = (*m)->Predict(d.View()).value();
    for (double y : labels) ASSERT_TRUE(y == 0 || y == 1);
  }
}

TEST(ModelRegistryTest, LoadRejectsWhatIsNotAModel) {
  EXPECT_THAT(Registry().Load("not json").status().message(), HasSubstr("not a JSON object"));
  EXPECT_THAT(Registry().Load(R"({"format": "other"})").status().message(), HasSubstr("not a Grove model document"));
  auto m = Registry().Create("logistic_regression", Json::object(), TaskKind::kBinaryClassification);
  ASSERT_TRUE((*m)->Fit(Binary()).ok());
  Json doc = Json::parse((*m)->Save().value());
  doc["state"]["coefficients"] = Json::array({1.0});
  Result<std::unique_ptr<Model>> bad = Registry().Load(doc.dump());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("malformed model state"));
  doc["state"]["standardizer"] = "x";
  EXPECT_THAT(Registry().Load(doc.dump()).status().message(), HasSubstr("malformed model state"));
  doc["family"] = "nope";
  EXPECT_THAT(Registry().Load(doc.dump()).status().message(), HasSubstr("unknown model family \"nope\""));
}

TEST(ModelRegistryTest, ChecksDataShapeAndMissingValues) {
  Dataset d = Binary();
  auto lr = Registry().Create("logistic_regression", Json::object(), TaskKind::kBinaryClassification);
  ASSERT_TRUE((*lr)->Fit(d).ok());
  Dataset narrow = Dataset::FromLabelFirstRows({{0, 1.0, 2.0}});
  EXPECT_THAT((*lr)->Predict(narrow.View()).status().message(),
              HasSubstr("expected 3 feature columns as in training, got 2"));
  Dataset holes = d;
  holes.features[4] = std::nan("");
  Status s = (*lr)->Fit(holes);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("row 2, column 2 is missing"));
  EXPECT_FALSE((*lr)->fitted());
  auto xgb = Registry().Create("xgboost", {{"n_estimators", 3}}, TaskKind::kBinaryClassification);
  EXPECT_TRUE((*xgb)->Fit(holes).ok());
}

TEST(ModelRegistryTest, ClassificationNeedsTwoClassesOfZeroOrOne) {
  auto m = Registry().Create("gaussian_nb", Json::object(), TaskKind::kBinaryClassification);
  EXPECT_THAT((*m)->Fit(Dataset::FromLabelFirstRows({{1, 0.0}, {1, 1.0}})).message(), HasSubstr("only one class"));
  EXPECT_THAT((*m)->Fit(Dataset::FromLabelFirstRows({{2, 0.0}, {1, 1.0}})).message(),
              HasSubstr("label of row 1 must be 0 or 1"));
}

}  // namespace
}  // namespace grove::ml
