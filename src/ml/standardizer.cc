#include "ml/standardizer.h"

#include <cmath>
#include <limits>

#include "ml/model_state.h"

namespace grove::ml {

void Standardizer::Fit(const Features& x) {
  mean_.assign(x.cols, 0.0);
  scale_.assign(x.cols, 0.0);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < x.cols; ++c) mean_[c] += x.At(r, c);
  }
  for (double& m : mean_) m /= static_cast<double>(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < x.cols; ++c) {
      double d = x.At(r, c) - mean_[c];
      scale_[c] += d * d;
    }
  }
  for (double& s : scale_) {
    s = std::sqrt(s / static_cast<double>(x.rows));
    // scikit-learn treats near-zero variance as constant (scale 1) so that a
    // column of equal values stays finite.
    if (s < 10 * std::numeric_limits<double>::epsilon()) s = 1.0;
  }
}

std::vector<double> Standardizer::Transform(const Features& x) const {
  std::vector<double> out(x.values.begin(), x.values.end());
  for (size_t r = 0; r < x.rows; ++r) {
    double* row = out.data() + r * x.cols;
    for (size_t c = 0; c < x.cols; ++c) row[c] = (row[c] - mean_[c]) / scale_[c];
  }
  return out;
}

Json Standardizer::Save() const { return Json{{"mean", DoublesToJson(mean_)}, {"scale", DoublesToJson(scale_)}}; }

Status Standardizer::Load(const Json& state) {
  ASSIGN_OR_RETURN(std::vector<double> mean, ReadDoubles(state, "mean"));
  ASSIGN_OR_RETURN(std::vector<double> scale, ReadDoubles(state, "scale", mean.size()));
  for (double s : scale) {
    if (s <= 0) return Status::InvalidArgument("\"scale\" must be positive");
  }
  mean_ = std::move(mean);
  scale_ = std::move(scale);
  return Status::OK();
}

}  // namespace grove::ml
