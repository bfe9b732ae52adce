#pragma once

// Helpers shared by the serving tests (header-only; not part of grove_serving):
// the bundled data sets prepared as in the example pipelines, and small XGBoost
// models trained on them.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/json.h"
#include "data/data_test_util.h"
#include "data/preparation.h"
#include "ml/label_first_csv.h"
#include "ml/xgboost_trainer.h"
#include "registry/registry.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::serving::testing {

using data::testing::AbaloneArgs;
using data::testing::AbalonePath;
using data::testing::ChurnPath;
using data::testing::ChurnArgs;
using data::testing::SourceDir;

inline Json BanknoteArgs() {
  Json args = Json::parse(R"({
    "header": false,
    "columns": ["variance", "skewness", "curtosis", "entropy", "class"],
    "label": {"column": "class", "positive": 1},
    "split": {"train": 0.8, "test": 0.2, "seed": 7}
  })");
  args["input"] = (SourceDir() / "datasets/banknote-authentication/data_banknote_authentication.txt").string();
  return args;
}

inline Json BreastCancerArgs() {
  Json args = Json::parse(R"({
    "label": {"column": "CLASS", "positive": 1},
    "transforms": [{"columns": ["mean radius", "mean texture"], "scale": "standard"}],
    "split": {"train": 0.8, "test": 0.2, "seed": 7}
  })");
  args["input"] = (SourceDir() / "datasets/breast-cancer/breast_cancer.csv").string();
  return args;
}

// Runs the preparation into `dir`; aborts the test on failure.
inline data::PrepareSummary Prepare(const Json& args, const std::filesystem::path& dir) {
  Result<data::PrepareSummary> summary = data::RunPreparation(args, dir);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  return summary.ok() ? *summary : data::PrepareSummary{};
}

// Rewrites the label (first cell) of every line of a label-first CSV with `relabel(old)`.
template <typename F>
std::filesystem::path Relabel(const std::filesystem::path& in, const std::filesystem::path& out, F relabel) {
  std::string text = ReadFile(in).value();
  std::string result;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    size_t comma = line.find(',');
    result += std::to_string(relabel(std::stod(line.substr(0, comma)))) + line.substr(comma) + "\n";
    pos = end + 1;
  }
  EXPECT_TRUE(WriteFileAtomic(out, result).ok());
  return out;
}

// Trains on `train` (one thread: the cores are shared) and returns the model's JSON bytes.
inline std::string Train(const std::filesystem::path& train, Json hyperparameters, const std::filesystem::path& out) {
  ml::TrainRequest request;
  request.train = train;
  request.hyperparameters = std::move(hyperparameters);
  request.model_out = out;
  request.nthread = 1;
  Result<ml::TrainSummary> summary = ml::TrainXgboost(request);
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  Result<std::string> bytes = ReadFile(out);
  return bytes.ok() ? *bytes : std::string();
}

// The features of a label-first CSV, plus a copy of each row with about a
// third of its cells (a different third per row) set missing.
inline ml::LabeledMatrix FeaturesWithMissing(const std::filesystem::path& csv) {
  ml::LabeledMatrix m = ml::ReadLabelFirstCsv(csv).value();
  size_t rows = m.rows;
  m.features.resize(2 * rows * m.cols);
  m.labels.resize(2 * rows);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < m.cols; ++c) {
      float v = m.features[r * m.cols + c];
      m.features[(rows + r) * m.cols + c] = (r + c) % 3 == 0 ? std::numeric_limits<float>::quiet_NaN() : v;
    }
  }
  m.rows = 2 * rows;
  return m;
}

// A fresh SQLite metadata store, artifact folder and registry per test.
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value();
    artifacts_ = store::OpenLocalArtifactStore(dir_.path() / "artifacts").value();
    registry_ = std::make_unique<registry::Registry>(metadata_.get(), &clock_);
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
};

}  // namespace grove::serving::testing
