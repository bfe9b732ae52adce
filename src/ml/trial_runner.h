#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "ml/dataset.h"
#include "ml/model_registry.h"
#include "ml/scorer.h"
#include "ml/search_strategy.h"

namespace grove::ml {

// Early stopping of clearly bad trials: after at least `min_folds` folds, a
// trial whose mean fold score so far is below the reference (the best mean of
// the completed trials it may see) by more than `tolerance` (in the scorer's
// units) skips its remaining folds and ends Pruned. Off by default.
struct EarlyStopping {
  bool enabled = false;
  int min_folds = 2;
  double tolerance = 0.05;
};

// How every trial of a search is scored.
struct TrialScoring {
  const Dataset* train = nullptr;
  // When set: hold-out scoring (fit on `train`, one score on this set) instead of cross-validation.
  const Dataset* validation = nullptr;
  const Scorer* scorer = nullptr;
  int folds = 5;
  uint64_t seed = 0;  // Fold assignment (the same folds for every trial).
  EarlyStopping early_stopping;
  const ModelRegistry* registry = &ModelRegistry::BuiltIn();
};

// How one trial ended. Status: "Completed", "Pruned", "Failed", or empty when a
// stop request interrupted it (it did not finish; nothing to record).
struct TrialOutcome {
  std::string status;
  std::vector<double> fold_scores;
  double mean = 0;  // Over fold_scores; NaN when failed or undefined.
  std::string error;
  int64_t duration_ms = 0;
};

// Runs one trial: cross-validation (or hold-out) of the trial's family and
// hyperparameters, with early stopping against `reference` (NaN: nothing to
// compare with yet). Single-threaded: the trial's model gets nthread 1 where
// the family has threads. `stop` (may be null) interrupts before the first
// fold and between folds.
TrialOutcome RunTrial(const TrialSpec& trial, const TrialScoring& scoring, double reference,
                      const std::atomic<bool>* stop);

}  // namespace grove::ml
