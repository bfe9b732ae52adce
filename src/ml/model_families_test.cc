// Every classification family on the bundled data sets: 5-fold CV accuracy
// clearly above the majority-class baseline (breast-cancer 357/569 = 0.627,
// banknote 762/1372 = 0.555), and the same scores on a second run.

#include <gtest/gtest.h>

#include <string>

#include "ml/cross_validation.h"
#include "ml/model_test_data.h"

namespace grove::ml {
namespace {

struct Case {
  std::string family;
  Json hyperparameters;
  double breast_cancer_min;  // 5-fold accuracy floor.
  double banknote_min;
};

// Default hyperparameters, fewer trees where that keeps the suite fast.
std::vector<Case> Cases() {
  return {
      {"logistic_regression", Json::object(), 0.95, 0.97},
      {"gaussian_nb", Json::object(), 0.90, 0.80},
      {"random_forest", {{"n_estimators", 50}, {"random_state", 42}}, 0.93, 0.97},
      {"mlp", {{"hidden_layer_sizes", "50"}, {"random_state", 42}}, 0.95, 0.98},
      {"xgboost", {{"n_estimators", 50}, {"random_state", 42}}, 0.93, 0.97},
      {"lightgbm", {{"n_estimators", 50}, {"num_leaves", 15}, {"random_state", 42}}, 0.93, 0.97},
  };
}

class ModelFamiliesTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    breast_cancer_ = new Dataset(testing::BreastCancer());
    banknote_ = new Dataset(testing::Banknote());
  }
  static void TearDownTestSuite() {
    delete breast_cancer_;
    delete banknote_;
  }
  static Dataset* breast_cancer_;
  static Dataset* banknote_;
};

Dataset* ModelFamiliesTest::breast_cancer_ = nullptr;
Dataset* ModelFamiliesTest::banknote_ = nullptr;

TEST_P(ModelFamiliesTest, BeatsTheMajorityBaselineDeterministically) {
  const Case& c = GetParam();
  Scorer accuracy = Scorer::ByName("accuracy").value();
  for (auto [name, data, floor] : {std::tuple{"breast-cancer", breast_cancer_, c.breast_cancer_min},
                                   std::tuple{"banknote", banknote_, c.banknote_min}}) {
    SCOPED_TRACE(name);
    Result<CrossValidationResult> cv = CrossValidate(c.family, c.hyperparameters, *data, accuracy, 5, 42);
    ASSERT_TRUE(cv.ok()) << cv.status().ToString();
    EXPECT_GT(cv->mean, floor);
    RecordProperty(c.family + "_" + name, std::to_string(cv->mean));
    Result<CrossValidationResult> again = CrossValidate(c.family, c.hyperparameters, *data, accuracy, 5, 42);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->fold_scores, cv->fold_scores);
  }
}

INSTANTIATE_TEST_SUITE_P(Families, ModelFamiliesTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.family; });

}  // namespace
}  // namespace grove::ml
