#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/model.h"
#include "ml/xgboost_booster.h"

namespace grove::ml {

// XGBoost through the Model interface, in the xgboost Python package's
// scikit-learn names (XGBClassifier / XGBRegressor). Objective binary:logistic
// for classification, reg:squarederror for regression; tree_method hist. Missing
// values (NaN) are allowed and routed by XGBoost.
//
// Hyperparameters ("xgboost" family; XGBoost's defaults):
//   booster           "gbtree" | "gblinear" | "dart"   Default: "gbtree".
//   n_estimators      integer in [1, 10000]            Default: 100 (boosting rounds).
//   learning_rate     number in (0, 1]                 Default: 0.3 (eta).
//   max_depth         integer in [0, 64]               Default: 6; 0 = unlimited (lossguide only).
//   min_child_weight  number >= 0                      Default: 1.
//   subsample         number in (0, 1]                 Default: 1.
//   colsample_bytree  number in (0, 1]                 Default: 1.
//   gamma             number >= 0                      Default: 0 (min split loss).
//   reg_alpha         number >= 0                      Default: 0 (L1, alpha).
//   reg_lambda        number >= 0                      Default: 1 (L2, lambda).
//   grow_policy       "depthwise" | "lossguide"        Default: "depthwise".
//   max_leaves        integer >= 0                     Default: 0 (no limit).
//   rate_drop, skip_drop  number in [0, 1]             Default: 0 (dart only).
//   random_state      integer >= 0                     Default: 0 (seed).
//   nthread           integer >= 1                     Default: 1: tuning runs trials in
//                     parallel, and idle OpenMP threads spin and slow the others down.
// gblinear uses learning_rate, reg_alpha and reg_lambda; tree parameters are
// not passed to it (XGBoost would warn that they are unused).
//
// The "lightgbm" family maps LightGBM's scikit-learn names (the seed's
// LGBMClassifier space) onto XGBoost, whose lossguide growth is LightGBM's
// leaf-wise growth:
//   num_leaves (default 31)     -> grow_policy=lossguide, max_leaves=num_leaves
//   max_depth (default -1)      -> max_depth (-1 or 0: unlimited -> 0)
//   boosting gbdt|dart|goss     -> booster gbtree|dart|gbtree (XGBoost has no GOSS on
//                                  CPU; goss becomes uniform row sampling by subsample)
//   learning_rate (0.1), n_estimators (100), subsample (1), colsample_bytree (1),
//   reg_alpha (0), reg_lambda (0), min_child_weight (1e-3)   -> the same XGBoost names
//   min_split_gain (0)          -> gamma
//   min_child_samples (20)      -> validated and recorded only: XGBoost has no per-leaf
//                                  row count (see notes()).
//   subsample                   -> applied on every round (LightGBM applies it only with
//                                  subsample_freq > 0, which the seed never sets).
//   random_state (0), nthread (1) as for "xgboost".
class XgboostModel final : public Model {
 public:
  static Result<std::unique_ptr<Model>> Create(const Json& hyperparameters, TaskKind task);
  static Result<std::unique_ptr<Model>> CreateLightgbm(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return family_; }

  // The XGBoost parameters set, in order (objective first).
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }
  // Hyperparameters accepted but not passed on, one line each saying why.
  const std::vector<std::string>& notes() const { return notes_; }
  int rounds() const { return rounds_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;
  bool AcceptsMissingValues() const override { return true; }

 private:
  XgboostModel(std::string family, TaskKind task, Json hyperparameters)
      : Model(task, std::move(hyperparameters)), family_(std::move(family)) {}

  std::string family_;
  int rounds_ = 0;
  std::vector<std::pair<std::string, std::string>> params_;
  std::vector<std::string> notes_;
  XgboostBooster booster_;
};

}  // namespace grove::ml
