#include "data/column_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "data/cell_text.h"

namespace grove::data {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The largest |v| of the present values (0 when none), the scale that keeps
// sums of v / scale and of their squares finite.
double LargestMagnitude(const std::vector<double>& values) {
  double largest = 0;
  for (double v : values) {
    if (!std::isnan(v)) largest = std::max(largest, std::fabs(v));
  }
  return largest;
}

// Mean of the present values divided by `scale`: each term is in [-1, 1].
double ScaledMean(const std::vector<double>& values, double scale) {
  double sum = 0;
  size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v / scale;
    ++count;
  }
  return sum / static_cast<double>(count);
}

}  // namespace

double Median(const std::vector<double>& values) {
  std::vector<double> present;
  present.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) present.push_back(v);
  }
  if (present.empty()) return kNaN;
  const size_t mid = present.size() / 2;
  std::nth_element(present.begin(), present.begin() + static_cast<ptrdiff_t>(mid), present.end());
  const double upper = present[mid];
  if (present.size() % 2 == 1) return upper;
  const double lower = *std::max_element(present.begin(), present.begin() + static_cast<ptrdiff_t>(mid));
  const double middle = (lower + upper) / 2;
  return std::isinf(middle) ? lower / 2 + upper / 2 : middle;  // The sum overflows near DBL_MAX.
}

double Mean(const std::vector<double>& values) {
  double sum = 0;
  size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  if (count == 0) return kNaN;
  if (std::isfinite(sum)) return sum / static_cast<double>(count);
  // The sum overflowed (values near DBL_MAX): sum the values scaled into [-1, 1].
  const double scale = LargestMagnitude(values);
  return ScaledMean(values, scale) * scale;
}

double PopulationStd(const std::vector<double>& values, double mean) {
  double sum = 0;
  size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += (v - mean) * (v - mean);
    ++count;
  }
  if (count == 0) return kNaN;
  if (std::isfinite(sum) || !std::isfinite(mean)) return std::sqrt(sum / static_cast<double>(count));
  // A deviation or its square overflowed (|v| beyond about 1e154): the same sum
  // over deviations divided by the largest |v|, each in [-2, 2]. The result is
  // at most max |v|, so it is finite.
  const double scale = LargestMagnitude(values);
  const double scaled_mean = mean / scale;
  double scaled_sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    const double d = v / scale - scaled_mean;
    scaled_sum += d * d;
  }
  return std::sqrt(scaled_sum / static_cast<double>(count)) * scale;
}

std::vector<std::string> SortedCategories(const std::vector<std::string>& values) {
  std::unordered_set<std::string_view> distinct;
  for (const std::string& v : values) {
    if (!v.empty()) distinct.insert(v);
  }
  std::vector<std::string> categories(distinct.begin(), distinct.end());
  std::sort(categories.begin(), categories.end());
  std::vector<std::pair<double, std::string>> numbered;
  for (const std::string& c : categories) {
    std::optional<double> number = ParseNumber(c);
    if (!number || std::isnan(*number)) return categories;
    numbered.emplace_back(*number, c);
  }
  std::sort(numbered.begin(), numbered.end());  // Ties ("1" and "1.0") by text.
  for (size_t i = 0; i < numbered.size(); ++i) categories[i] = std::move(numbered[i].second);
  return categories;
}

}  // namespace grove::data
