#pragma once

#include <random>
#include <span>
#include <vector>

#include "common/json.h"
#include "ml/search_space.h"

namespace grove::ml {

// A one-dimensional density over a hyperparameter's domain built from observed
// values, as Tree-structured Parzen Estimators use (Bergstra et al. 2011):
// - a list (categorical) domain: P(v) = (1 + count of v) / (categories + n);
// - an int or float range: an equal-weight mixture of the uniform prior over
//   the range and one Gaussian per observation, truncated to the range, in log
//   space for log ranges. Every Gaussian has width (range / 2) / sqrt(n + 1), so
//   the estimate sharpens as observations accumulate.
// Deterministic: the same observations and generator state give the same draws.
class ParzenEstimator {
 public:
  // `observed` are values of `domain` (values outside it are clamped to it).
  // REQUIRES: `domain` outlives the estimator.
  ParzenEstimator(const ParamDomain& domain, std::span<const Json> observed);

  // A value of the domain drawn from the density (ints as Json integers).
  Json Sample(std::mt19937_64* rng) const;
  // The log density (log probability for lists) of `value`.
  double LogDensity(const Json& value) const;

 private:
  // A value's position on the (log) axis the Gaussians live on.
  double ToAxis(const Json& value) const;
  Json FromAxis(double t) const;

  const ParamDomain& domain_;
  std::vector<double> weights_;  // Lists: one unnormalised weight per value.
  double weight_sum_ = 0;
  std::vector<double> centers_;  // Ranges: one per observation, on the axis.
  double low_ = 0;               // Ranges: the axis bounds.
  double high_ = 0;
  double sigma_ = 1;
};

}  // namespace grove::ml
