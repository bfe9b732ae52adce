#pragma once

#include <cstdint>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "ml/search_space.h"
#include "ml/trial_runner.h"

namespace grove::pipeline {

// The arguments of a Tuning step other than its input paths:
//
//   search_space: {family: {hyperparameter: domain}}   REQUIRED (ml/search_space.h).
//   strategy: random | grid | bayesian        Default random.
//   max_trials: 60                            Default 60 (grid: at most this many).
//   max_parallel_trials: 6                    Default 6: trials at once, at most the step's threads.
//   scoring: roc_auc                          Default roc_auc; any scikit-learn scorer name.
//   objective: validation:auc                 Instead of scoring: hold-out scoring on the
//                                             `validation` channel, as SageMaker tuning names it
//                                             (auc, accuracy, f1, logloss, rmse, mse, mae).
//   cv_folds: 5                               Default 5 (2 .. 100).
//   seed: 0                                   Default 0: folds, random draws, model seeds.
//   early_stopping: false | true | {min_folds: 2, tolerance: 0.05}   Default false (ml::EarlyStopping).
//   warmup_trials: 10                         bayesian: random trials before the model is used.
//   refit: true                               Default true: fit the best on all of `train` (output `model`).
struct TuningConfig {
  ml::SearchSpace space;
  std::string strategy = "random";
  int max_trials = 60;
  int max_parallel_trials = 6;
  std::string scoring = "roc_auc";
  bool hold_out = false;  // Set by `objective: validation:<metric>`.
  int cv_folds = 5;
  uint64_t seed = 0;
  ml::EarlyStopping early_stopping;
  int warmup_trials = 10;
  bool refit = true;
};

// Reads the arguments (keys other than the above are ignored). Errors are
// "<argument>: <message>", e.g. "scoring: unknown scorer 'auc'; valid: accuracy, ...".
// Families must be known and able to learn the scorer's task, and the first
// point of each family's space must be valid hyperparameters.
Result<TuningConfig> ParseTuningConfig(const Json& arguments);

}  // namespace grove::pipeline
