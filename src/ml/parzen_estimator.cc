#include "ml/parzen_estimator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "common/random.h"

namespace grove::ml {

namespace {

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// One standard normal draw (Box-Muller, written out so it is the same everywhere).
double StandardNormal(std::mt19937_64* rng) {
  double u1 = 1.0 - UniformUnit(rng);  // In (0, 1].
  double u2 = UniformUnit(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

bool IsList(const ParamDomain& d) { return d.kind == ParamDomain::Kind::kCategorical; }

}  // namespace

ParzenEstimator::ParzenEstimator(const ParamDomain& domain, std::span<const Json> observed) : domain_(domain) {
  if (IsList(domain)) {
    weights_.assign(domain.values.size(), 1.0);
    for (const Json& v : observed) {
      auto it = std::find(domain.values.begin(), domain.values.end(), v);
      if (it != domain.values.end()) weights_[static_cast<size_t>(it - domain.values.begin())] += 1.0;
    }
    for (double w : weights_) weight_sum_ += w;
    return;
  }
  bool is_int = domain.kind == ParamDomain::Kind::kInt;
  // Integers own the unit interval around them, so every integer is equally likely under the prior.
  double lo = is_int ? domain.low - 0.5 : domain.low;
  double hi = is_int ? domain.high + 0.5 : domain.high;
  if (domain.log) {
    lo = std::log(domain.low);
    hi = std::log(is_int ? domain.high + 1 : domain.high);
  }
  low_ = lo;
  high_ = hi;
  for (const Json& v : observed) {
    if (v.is_number()) centers_.push_back(std::clamp(ToAxis(v), low_, high_));
  }
  sigma_ = std::max(1e-12, (high_ - low_) / 2.0 / std::sqrt(static_cast<double>(centers_.size()) + 1.0));
}

double ParzenEstimator::ToAxis(const Json& value) const {
  double x = value.get<double>();
  return domain_.log ? std::log(std::max(x, 1e-300)) : x;
}

Json ParzenEstimator::FromAxis(double t) const {
  t = std::clamp(t, low_, high_);
  double x = domain_.log ? std::exp(t) : t;
  if (domain_.kind != ParamDomain::Kind::kInt) return std::clamp(x, domain_.low, domain_.high);
  double rounded = domain_.log ? std::floor(x) : std::round(x);
  return static_cast<int64_t>(std::clamp(rounded, domain_.low, domain_.high));
}

Json ParzenEstimator::Sample(std::mt19937_64* rng) const {
  if (IsList(domain_)) {
    double pick = UniformUnit(rng) * weight_sum_;
    for (size_t i = 0; i < weights_.size(); ++i) {
      pick -= weights_[i];
      if (pick < 0) return domain_.values[i];
    }
    return domain_.values.back();
  }
  if (high_ <= low_) return FromAxis(low_);
  size_t component = UniformBelow(centers_.size() + 1, rng);
  if (component == 0) return FromAxis(low_ + UniformUnit(rng) * (high_ - low_));
  double center = centers_[component - 1];
  for (int attempt = 0; attempt < 64; ++attempt) {
    double t = center + sigma_ * StandardNormal(rng);
    if (t >= low_ && t <= high_) return FromAxis(t);
  }
  return FromAxis(center);
}

double ParzenEstimator::LogDensity(const Json& value) const {
  if (IsList(domain_)) {
    auto it = std::find(domain_.values.begin(), domain_.values.end(), value);
    if (it == domain_.values.end()) return -1e9;
    return std::log(weights_[static_cast<size_t>(it - domain_.values.begin())] / weight_sum_);
  }
  if (high_ <= low_ || !value.is_number()) return 0;
  double t = std::clamp(ToAxis(value), low_, high_);
  double density = 1.0 / (high_ - low_);  // The prior.
  for (double c : centers_) {
    double mass = NormalCdf((high_ - c) / sigma_) - NormalCdf((low_ - c) / sigma_);
    double z = (t - c) / sigma_;
    density += std::exp(-0.5 * z * z) / (sigma_ * std::sqrt(2.0 * std::numbers::pi) * std::max(mass, 1e-12));
  }
  return std::log(density / static_cast<double>(centers_.size() + 1));
}

}  // namespace grove::ml
