#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

// SageMaker built-in XGBoost hyperparameters turned into what the trainer and
// XGBoost need.
struct XgboostParams {
  int num_round = 0;              // Boosting rounds (required, >= 1).
  int early_stopping_rounds = 0;  // 0: no early stopping.
  bool csv_weights = false;       // Column 2 of the training CSVs holds instance weights.
  std::string objective;  // Resolved objective ("reg:linear" becomes "reg:squarederror"); empty: XGBoost's default.
  // (name, value) pairs for XGBoosterSetParam, in the order given; eval_metric
  // appears once per metric. Includes tree_method=hist when the caller set
  // neither tree_method nor updater (a tree booster only; see TreeMethodDefault).
  std::vector<std::pair<std::string, std::string>> booster_params;
  // One line per hyperparameter accepted but not passed to XGBoost 1.7, saying why.
  std::vector<std::string> notes;
};

// Grove's tree method when none is given. SageMaker leaves XGBoost's "auto",
// which picks "exact" for small data; "hist" trains Abalone-sized data 3-5x
// faster with the same quality and is XGBoost 2.0's default.
inline constexpr std::string_view kDefaultTreeMethod = "hist";

// Checks names, types and ranges and maps the values. Values may be JSON
// numbers, booleans or strings ("50", "0.2", "true"), as SageMaker passes
// strings. Every problem is reported, separated by "; ", each naming the
// hyperparameter: `hyperparameters.eta: expected a number in (0, 1], got "fast"`.
// An unknown name lists close matches, or all accepted names when none is close.
Result<XgboostParams> MapXgboostHyperparameters(const Json& hyperparameters);

// Whether early stopping should maximise `metric` (auc, aucpr, map, ndcg, pre
// and their @/- variants) rather than minimise it.
bool MetricIsMaximized(std::string_view metric);

// Up to 5 names within edit distance 2 of `name`, closest first; when there
// are none, the names sharing its first 4 characters.
std::vector<std::string> CloseMatches(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace grove::ml
