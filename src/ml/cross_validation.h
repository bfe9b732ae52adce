#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"
#include "ml/model_registry.h"
#include "ml/scorer.h"

namespace grove::ml {

// The test rows of each of `k` folds, each list ascending; every row is in
// exactly one fold. The assignment rule (so it can be reproduced elsewhere):
//   - one generator Random(seed) for the whole assignment;
//   - stratified: the rows of class 0, in ascending order, are shuffled
//     (Random::Shuffle), then the rows of class 1; unstratified: all rows are
//     shuffled once;
//   - the shuffled rows are dealt in that sequence to folds 0, 1, ..., k-1, 0,
//     1, ..., the position carrying on from class 0 into class 1.
// So every fold holds floor(n_c / k) or ceil(n_c / k) rows of each class c
// (stratified) and fold sizes differ by at most one. Stratified labels must be
// 0 or 1. kInvalidArgument unless 2 <= k <= labels.size().
Result<std::vector<std::vector<size_t>>> KFoldTestIndices(std::span<const double> labels, int k, bool stratified,
                                                          uint64_t seed);

struct CrossValidationResult {
  std::vector<double> fold_scores;  // Fold i was scored on KFoldTestIndices(...)[i].
  double mean = 0;
  double standard_deviation = 0;    // Population (numpy's std), as scikit-learn's std_test_score.
  bool stopped_early = false;       // `keep_going` said no before the last fold: fold_scores has fewer than k.
};

// Asked after each fold with the scores so far; false stops before the next fold.
using KeepGoing = std::function<bool(std::span<const double> fold_scores)>;

// k-fold cross-validation of one family and hyperparameter set: for each fold
// a fresh model is created, fitted on the other folds and scored on it. The
// task is the scorer's (classification scorers stratify the folds). With the
// same inputs the scores are identical (folds and models are seeded; a family's
// own random_state is taken from `hyperparameters`). Errors: a bad family,
// hyperparameters or k (kInvalidArgument), or a fold's failure prefixed with
// "fold 3 of 5: ". A fold whose score is undefined (roc_auc over one class)
// scores NaN, and so does the mean.
Result<CrossValidationResult> CrossValidate(std::string_view family, const Json& hyperparameters,
                                            const Dataset& data, const Scorer& scorer, int k, uint64_t seed,
                                            const ModelRegistry& registry = ModelRegistry::BuiltIn());

// CrossValidate that may stop between folds (early stopping of a tuning trial,
// or a stop request): mean and standard deviation are then over the folds run.
Result<CrossValidationResult> CrossValidateWhile(std::string_view family, const Json& hyperparameters,
                                                 const Dataset& data, const Scorer& scorer, int k, uint64_t seed,
                                                 const KeepGoing& keep_going,
                                                 const ModelRegistry& registry = ModelRegistry::BuiltIn());

}  // namespace grove::ml
