#include "ml/sagemaker_model_archive.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/file_util.h"
#include "common/tar_gz.h"
#include "ml/booster_pickle.h"
#include "ml/label_first_csv.h"
#include "ml/xgboost_dmatrix.h"

namespace grove::ml {
namespace {

// A small regression booster trained on y = 2x.
XgboostBooster TrainedBooster() {
  LabeledMatrix matrix;
  matrix.rows = 64;
  matrix.cols = 1;
  for (int i = 0; i < 64; ++i) {
    matrix.features.push_back(static_cast<float>(i));
    matrix.labels.push_back(2.0f * i);
  }
  auto data = XgboostDMatrix::FromMatrix(matrix).value();
  const XgboostDMatrix* sets[] = {&data};
  auto booster = XgboostBooster::Create(sets).value();
  EXPECT_TRUE(booster.SetParam("objective", "reg:squarederror").ok());
  for (int round = 0; round < 5; ++round) EXPECT_TRUE(booster.UpdateOneIter(round, data).ok());
  return booster;
}

std::vector<float> PredictAt(const XgboostBooster& booster, float x) {
  return booster.Predict(std::span<const float>(&x, 1), 1, 1).value();
}

TEST(SageMakerModelArchiveTest, ImageTagsBefore12WritePickles) {
  EXPECT_EQ(ModelFormOfImage("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3"),
            XgboostModelForm::kPickle);
  EXPECT_EQ(ModelFormOfImage("x/sagemaker-xgboost:0.90-2-cpu-py3"), XgboostModelForm::kPickle);
  EXPECT_EQ(ModelFormOfImage("x/sagemaker-xgboost:1.2-1"), XgboostModelForm::kNative);
  EXPECT_EQ(ModelFormOfImage("x/sagemaker-xgboost:1.7-1"), XgboostModelForm::kNative);
  EXPECT_EQ(ModelFormOfImage("localhost:5000/sagemaker-xgboost"), XgboostModelForm::kNative);
}

TEST(SageMakerModelArchiveTest, BothFormsReadBackToTheSameModel) {
  XgboostBooster booster = TrainedBooster();
  const float expected = PredictAt(booster, 10.0f).at(0);
  TempDir dir;
  for (XgboostModelForm form : {XgboostModelForm::kPickle, XgboostModelForm::kNative}) {
    const auto path = dir.path() / "model.tar.gz";
    ASSERT_TRUE(WriteXgboostModelArchive(booster, form, path).ok());
    auto members = ReadTarGz(path).value();
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].name, "xgboost-model");
    EXPECT_EQ(LooksLikePickle(members[0].bytes), form == XgboostModelForm::kPickle);
    auto read = ReadXgboostModelArchive(path);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_FLOAT_EQ(PredictAt(*read, 10.0f).at(0), expected);
  }
}

// The pickle is what Python's pickle.load turns into a working Booster, when
// Debian's python3-xgboost is installed (scripts/setup.sh installs it).
TEST(SageMakerModelArchiveTest, PythonUnpicklesTheBooster) {
  if (std::system("/usr/bin/python3 -c 'import xgboost' 2>/dev/null") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 has no xgboost";
  }
  XgboostBooster booster = TrainedBooster();
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "xgboost-model", PickleBooster(booster.Serialize().value())).ok());
  const std::string script =
      "import pickle, xgboost, numpy; m = pickle.load(open('" + (dir.path() / "xgboost-model").string() +
      "', 'rb')); print(round(float(m.predict(xgboost.DMatrix(numpy.array([[10.0]])))[0]), 3))";
  const std::string out = (dir.path() / "out").string();
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\" > " + out).c_str()), 0);
  char expected[32];
  std::snprintf(expected, sizeof expected, "%.3f", PredictAt(booster, 10.0f).at(0));
  EXPECT_EQ(std::stod(ReadFile(out).value()), std::stod(expected));
}

TEST(SageMakerModelArchiveTest, BadArchivesSayWhatIsWrong) {
  TempDir dir;
  ASSERT_TRUE(WriteTarGz(dir.path() / "a.tar.gz", {{"a", "1"}, {"b", "2"}}).ok());
  auto read = ReadXgboostModelArchive(dir.path() / "a.tar.gz");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("holds no xgboost-model (it holds a, b)"), std::string::npos);
  ASSERT_TRUE(WriteTarGz(dir.path() / "p.tar.gz", {{"xgboost-model", std::string("\x80\x03\xff", 3)}}).ok());
  read = ReadXgboostModelArchive(dir.path() / "p.tar.gz");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("unsupported pickle opcode 0xff at byte 2"), std::string::npos)
      << read.status().message();
}

}  // namespace
}  // namespace grove::ml
