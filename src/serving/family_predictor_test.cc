#include "serving/family_predictor.h"

#include <gtest/gtest.h>

#include "ml/model_registry.h"

namespace grove::serving {
namespace {

// A fitted model of `family` on a small separable data set, saved.
std::string SavedModel(const std::string& family, ml::TaskKind task, std::unique_ptr<ml::Model>* fitted) {
  ml::Dataset data = ml::Dataset::FromLabelFirstRows(
      {{0, 0.1, 1.0}, {0, 0.3, 0.8}, {0, 0.2, 1.2}, {1, 2.1, 0.1}, {1, 1.9, 0.3}, {1, 2.4, -0.2}});
  auto model = ml::ModelRegistry::BuiltIn().Create(family, Json::object(), task);
  EXPECT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_TRUE((*model)->Fit(data).ok());
  auto saved = (*model)->Save();
  EXPECT_TRUE(saved.ok());
  *fitted = std::move(model).value();
  return *saved;
}

TEST(FamilyPredictorTest, ClassifierGivesTheModelsProbabilities) {
  for (const char* family : {"logistic_regression", "gaussian_nb", "random_forest"}) {
    std::unique_ptr<ml::Model> model;
    std::string document = SavedModel(family, ml::TaskKind::kBinaryClassification, &model);
    ASSERT_TRUE(IsFamilyModelDocument(document));
    auto predictor = LoadPredictor(document);
    ASSERT_TRUE(predictor.ok()) << family << ": " << predictor.status().ToString();
    EXPECT_EQ((*predictor)->implementation(), "family");
    EXPECT_EQ((*predictor)->output_kind(), OutputKind::kProbability);
    EXPECT_EQ((*predictor)->objective(), std::string("family:") + family);
    EXPECT_EQ((*predictor)->num_features(), 2u);

    std::vector<float> rows = {0.2f, 0.9f, 2.2f, 0.0f};
    auto out = (*predictor)->PredictRows(rows, 2);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::vector<double> x(rows.begin(), rows.end());
    auto expected = model->PredictProba(ml::Features{x, 2, 2});
    ASSERT_TRUE(expected.ok());
    EXPECT_FLOAT_EQ((*out)[0], static_cast<float>((*expected)[0])) << family;
    EXPECT_FLOAT_EQ((*out)[1], static_cast<float>((*expected)[1])) << family;
    EXPECT_LT((*out)[0], 0.5f) << family;
    EXPECT_GT((*out)[1], 0.5f) << family;

    Status wrong = (*predictor)->PredictRows(std::vector<float>{1, 2, 3}, 1).status();
    EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  }
}

TEST(FamilyPredictorTest, RegressionGivesValues) {
  std::unique_ptr<ml::Model> model;
  std::string document = SavedModel("linear_regression", ml::TaskKind::kRegression, &model);
  auto predictor = LoadPredictor(document);
  ASSERT_TRUE(predictor.ok()) << predictor.status().ToString();
  EXPECT_EQ((*predictor)->output_kind(), OutputKind::kValue);
  std::vector<float> row = {1.0f, 0.5f};
  std::vector<double> x(row.begin(), row.end());
  EXPECT_NEAR((*(*predictor)->PredictRows(row, 1))[0], (*model->Predict(ml::Features{x, 1, 2}))[0], 1e-5);
}

TEST(FamilyPredictorTest, XgboostBytesAreNotFamilyDocuments) {
  EXPECT_FALSE(IsFamilyModelDocument(R"({"learner": {}, "version": [1, 7, 4]})"));
  EXPECT_FALSE(IsFamilyModelDocument("binf"));
  EXPECT_FALSE(IsFamilyModelDocument(""));
  Status bad = LoadPredictor(R"({"format": "grove-model", "family": "nope"})").status();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace grove::serving
