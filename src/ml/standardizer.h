#pragma once

#include <cstddef>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"

namespace grove::ml {

// Per-column standardisation, (x - mean) / scale, as scikit-learn's
// StandardScaler: scale is the population standard deviation, or 1 for a
// constant column. Models that learn on standardised features (logistic
// regression, MLP) keep one and apply it before every prediction.
class Standardizer {
 public:
  // Learns means and scales from `x`. REQUIRES: x.rows >= 1.
  void Fit(const Features& x);
  // `x` standardised into a new row-major buffer. REQUIRES: x.cols == cols().
  std::vector<double> Transform(const Features& x) const;

  size_t cols() const { return mean_.size(); }
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }

  Json Save() const;  // {"mean": [...], "scale": [...]}
  Status Load(const Json& state);

 private:
  std::vector<double> mean_;
  std::vector<double> scale_;
};

}  // namespace grove::ml
