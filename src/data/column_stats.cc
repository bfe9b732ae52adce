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
  return (lower + upper) / 2;
}

double Mean(const std::vector<double>& values) {
  double sum = 0;
  size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  return count == 0 ? kNaN : sum / static_cast<double>(count);
}

double PopulationStd(const std::vector<double>& values, double mean) {
  double sum = 0;
  size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += (v - mean) * (v - mean);
    ++count;
  }
  return count == 0 ? kNaN : std::sqrt(sum / static_cast<double>(count));
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
