#include "ml/xgboost_booster.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/file_util.h"
#include "ml/label_first_csv.h"
#include "ml/test_data.h"
#include "ml/xgboost_error.h"

namespace grove::ml {
namespace {

// A 10-round regression model trained through the wrapper's own calls.
struct Trained {
  LabeledMatrix data;
  XgboostDMatrix dmatrix;
  XgboostBooster booster;
};

Trained Train(int rounds) {
  Trained t;
  t.data = ParseLabelFirstCsv(testing::RegressionCsv(300, 5, 1, 0.1), "mem").value();
  t.dmatrix = XgboostDMatrix::FromMatrix(t.data).value();
  const XgboostDMatrix* cache[] = {&t.dmatrix};
  t.booster = XgboostBooster::Create(cache).value();
  EXPECT_TRUE(t.booster.SetParam("max_depth", "3").ok());
  for (int i = 0; i < rounds; ++i) EXPECT_TRUE(t.booster.UpdateOneIter(i, t.dmatrix).ok());
  return t;
}

std::vector<float> PredictAll(const XgboostBooster& b, const LabeledMatrix& m) {
  Result<std::vector<float>> p = b.Predict(m.features, m.rows, m.cols);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : std::vector<float>();
}

TEST(XgboostBoosterTest, SaveAndLoadGiveIdenticalPredictions) {
  Trained t = Train(10);
  std::vector<float> before = PredictAll(t.booster, t.data);
  ASSERT_EQ(before.size(), t.data.rows);
  EXPECT_EQ(t.booster.BoostedRounds().value(), 10);
  EXPECT_EQ(t.booster.NumFeatures().value(), 5u);

  TempDir dir;
  std::filesystem::path file = dir.path() / "model";  // No .json extension on purpose.
  ASSERT_TRUE(t.booster.SaveToFile(file).ok());
  std::string text = ReadFile(file).value();
  ASSERT_EQ(text.front(), '{');
  EXPECT_NE(text.find("\"learner\""), std::string::npos);
  Result<XgboostBooster> from_file = XgboostBooster::LoadFromFile(file);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(PredictAll(*from_file, t.data), before);
  EXPECT_EQ(from_file->Objective().value(), "reg:squarederror");

  Result<XgboostBooster> from_ubj =
      XgboostBooster::LoadFromBuffer(t.booster.Save(XgboostBooster::Format::kUbjson).value());
  ASSERT_TRUE(from_ubj.ok());
  EXPECT_EQ(PredictAll(*from_ubj, t.data), before);
}

TEST(XgboostBoosterTest, MarginsOfARegressionModelEqualPredictions) {
  Trained t = Train(3);
  Result<std::vector<float>> margins = t.booster.Predict(t.data.features, t.data.rows, t.data.cols, true);
  ASSERT_TRUE(margins.ok());
  EXPECT_EQ(*margins, PredictAll(t.booster, t.data));
}

TEST(XgboostBoosterTest, SliceKeepsTheFirstRounds) {
  Trained full = Train(10);
  Trained first = Train(4);
  Result<XgboostBooster> sliced = full.booster.Slice(0, 4);
  ASSERT_TRUE(sliced.ok()) << sliced.status().ToString();
  EXPECT_EQ(sliced->BoostedRounds().value(), 4);
  EXPECT_EQ(PredictAll(*sliced, full.data), PredictAll(first.booster, first.data));
}

TEST(XgboostBoosterTest, AttributesAreSavedWithTheModel) {
  Trained t = Train(2);
  ASSERT_TRUE(t.booster.SetAttr("best_iteration", "1").ok());
  XgboostBooster loaded = XgboostBooster::LoadFromBuffer(t.booster.Save().value()).value();
  EXPECT_EQ(loaded.GetAttr("best_iteration").value(), std::optional<std::string>("1"));
  EXPECT_EQ(loaded.GetAttr("missing").value(), std::nullopt);
}

TEST(XgboostBoosterTest, ConcurrentPredictionsAgree) {
  Trained t = Train(10);
  std::vector<float> expected = PredictAll(t.booster, t.data);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 50; ++i) {
        Result<std::vector<float>> p = t.booster.Predict(t.data.features, t.data.rows, t.data.cols);
        if (!p.ok() || *p != expected) ++mismatches[k];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(XgboostBoosterTest, GblinearPredictsThroughADMatrixFromManyThreads) {
  LabeledMatrix data = ParseLabelFirstCsv(testing::RegressionCsv(200, 4, 3, 0.1), "mem").value();
  XgboostDMatrix dmatrix = XgboostDMatrix::FromMatrix(data).value();
  const XgboostDMatrix* cache[] = {&dmatrix};
  XgboostBooster booster = XgboostBooster::Create(cache).value();
  ASSERT_TRUE(booster.SetParam("booster", "gblinear").ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(booster.UpdateOneIter(i, dmatrix).ok());
  std::vector<float> expected = PredictAll(booster, data);
  ASSERT_EQ(expected.size(), data.rows);
  // A linear model: the prediction moves with x0's weight, so rows differ.
  EXPECT_NE(expected[0], expected[1]);
  std::vector<int> mismatches(3, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 3; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 30; ++i) {
        Result<std::vector<float>> p = booster.Predict(data.features, data.rows, data.cols);
        if (!p.ok() || *p != expected) ++mismatches[k];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(3, 0));
  std::vector<float> narrow(3 * data.rows, 0.0f);
  EXPECT_FALSE(booster.Predict(narrow, data.rows, 3).ok());
}

TEST(XgboostBoosterTest, ErrorsBecomeStatuses) {
  Trained t = Train(1);
  std::vector<float> three(3, 0.0f);
  Result<std::vector<float>> wrong_width = t.booster.Predict(three, 1, 3);
  ASSERT_FALSE(wrong_width.ok());
  EXPECT_EQ(wrong_width.status().code(), StatusCode::kInternal);
  EXPECT_NE(wrong_width.status().message().find("XGBoosterPredictFromDense: "), std::string::npos);
  EXPECT_EQ(wrong_width.status().message().find("Stack trace"), std::string::npos);

  // XGBoost checks parameters when it next configures, so the error may come from
  // either call; it names eta by its own name, learning_rate.
  Status bad_param = t.booster.SetParam("eta", "abc");
  if (bad_param.ok()) bad_param = t.booster.UpdateOneIter(1, t.dmatrix);
  EXPECT_FALSE(bad_param.ok());
  EXPECT_NE(bad_param.message().find("learning_rate"), std::string::npos) << bad_param.message();

  EXPECT_EQ(XgboostBooster::LoadFromBuffer("not a model").status().code(), StatusCode::kInvalidArgument);
  TempDir dir;
  EXPECT_EQ(XgboostBooster::LoadFromFile(dir.path() / "none").status().code(), StatusCode::kNotFound);
}

TEST(XgboostErrorTest, KeepsOnlyTheMessage) {
  EXPECT_EQ(CleanXgboostError("[22:39:48] ./include/xgboost/gbm.h:73: Slice is not supported by current booster.\n"
                              "Stack trace:\n  [bt] (0) libxgboost.so(...)\n"),
            "Slice is not supported by current booster.");
  EXPECT_EQ(CleanXgboostError("plain message"), "plain message");
}

}  // namespace
}  // namespace grove::ml
