#pragma once

#include <cstdint>
#include <memory>

#include "ml/search_space.h"
#include "ml/search_strategy.h"

namespace grove::ml {

struct BayesianOptions {
  // Trials drawn at random (exactly as MakeRandomSearch draws them) before the model is used.
  int warmup_trials = 10;
  // The fraction of the scored trials taken as "good" (at least one).
  double gamma = 0.25;
  // Candidates drawn from the good density per proposal; the best ratio wins.
  int candidates = 24;
  // Trial k is proposed from the scores of trials 0 .. k - 1 - history_lag only.
  // With P trials in parallel, P - 1 makes the proposals independent of which
  // trials in flight finish first, so a resumed search proposes the same trials.
  int history_lag = 0;
};

// Bayesian optimisation by Tree-structured Parzen Estimators: the scored
// trials are split into the best `gamma` fraction (good) and the rest (bad);
// each dimension (the family first, then that family's hyperparameters, from
// the trials of that family) gets a Parzen density l(x) over the good and g(x)
// over the bad (ParzenEstimator). Trial k draws `candidates` points from l with
// TrialRng(seed, k) and proposes the one with the largest sum of
// log l(x) - log g(x). NaN scores (failed trials) count as the worst.
// Deterministic given the seed and the reported scores; Ready() is false while
// a score trial k depends on is missing.
std::unique_ptr<SearchStrategy> MakeBayesianSearch(SearchSpace space, uint64_t seed, int max_trials,
                                                   BayesianOptions options = {});

}  // namespace grove::ml
