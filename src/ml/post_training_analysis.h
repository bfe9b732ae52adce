#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

struct AnalysisRequest {
  std::filesystem::path model;             // As EvaluationRequest::model.
  std::filesystem::path test;              // Headerless CSV, label (0/1) in column 0.
  std::vector<std::string> feature_names;  // Optional: names of the feature columns, in order.
  int bins = 10;                           // Thresholds 0, 1/bins, ..., (bins-1)/bins.
  int nthread = 1;
};

// Seed 004's post-training analysis of a binary classifier:
//   "binned_confusion": one row per threshold t (a row is predicted positive
//     when its probability >= t): threshold, tp, fp, fn, tn, precision,
//     true_positive_rate, false_positive_rate;
//   "feature_importance": for XGBoost models, how many splits use each feature
//     (XGBoost's "weight"), most used first, named by `feature_names` when
//     given; empty for other families.
Result<Json> AnalyseModel(const AnalysisRequest& request);

// The two tables of an analysis as CSV text, with a header row.
std::string BinnedConfusionCsv(const Json& analysis);
std::string FeatureImportanceCsv(const Json& analysis);

}  // namespace grove::ml
