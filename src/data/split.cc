#include "data/split.h"

#include <cmath>
#include <map>
#include <numeric>

namespace grove::data {

std::vector<size_t> SplitSizes(size_t n, const std::vector<double>& fractions) {
  std::vector<size_t> sizes;
  double cumulative = 0;
  size_t previous = 0;
  for (size_t k = 0; k + 1 < fractions.size(); ++k) {
    cumulative += fractions[k];
    const double x = cumulative * static_cast<double>(n);
    const double nearest = std::round(x);
    size_t cut = static_cast<size_t>(std::abs(x - nearest) < 1e-6 ? nearest : std::floor(x));
    cut = std::min(std::max(cut, previous), n);
    sizes.push_back(cut - previous);
    previous = cut;
  }
  if (!fractions.empty()) sizes.push_back(n - previous);
  return sizes;
}

namespace {

// Appends consecutive runs of `order` of the given sizes to the splits.
void Distribute(const std::vector<size_t>& order, const std::vector<size_t>& sizes,
                std::vector<std::vector<size_t>>* splits) {
  size_t start = 0;
  for (size_t k = 0; k < sizes.size(); ++k) {
    (*splits)[k].insert((*splits)[k].end(), order.begin() + static_cast<ptrdiff_t>(start),
                        order.begin() + static_cast<ptrdiff_t>(start + sizes[k]));
    start += sizes[k];
  }
}

}  // namespace

std::vector<std::vector<size_t>> SplitRows(size_t num_rows, const std::vector<double>& fractions, bool shuffle,
                                           uint64_t seed) {
  std::vector<size_t> order(num_rows);
  std::iota(order.begin(), order.end(), size_t{0});
  if (shuffle) {
    std::mt19937_64 rng(seed);
    ShuffleIndices(&order, &rng);
  }
  std::vector<std::vector<size_t>> splits(fractions.size());
  Distribute(order, SplitSizes(num_rows, fractions), &splits);
  return splits;
}

std::vector<std::vector<size_t>> StratifiedSplitRows(const std::vector<double>& classes,
                                                     const std::vector<double>& fractions, uint64_t seed) {
  std::vector<size_t> order(classes.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  ShuffleIndices(&order, &rng);
  std::map<double, std::vector<size_t>> by_class;
  for (size_t row : order) by_class[classes[row]].push_back(row);
  std::vector<std::vector<size_t>> splits(fractions.size());
  for (const auto& [value, rows] : by_class) Distribute(rows, SplitSizes(rows.size(), fractions), &splits);
  for (std::vector<size_t>& split : splits) ShuffleIndices(&split, &rng);
  return splits;
}

}  // namespace grove::data
