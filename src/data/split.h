#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "common/random.h"

namespace grove::data {

// Seeded, numpy-style splitting; reproducible everywhere (common/random.h).

// Split sizes for `n` rows: cut at int(cumulative fraction * n) like
// np.split(x, [int(0.7 * n), int(0.85 * n)]); the last split takes the rest.
// A product within 1e-6 of an integer counts as that integer, so that summed
// fractions (0.7 + 0.2 = 0.8999999999999999) cut where the literal (0.9) would.
std::vector<size_t> SplitSizes(size_t n, const std::vector<double>& fractions);

// Row indices of each split. With `shuffle`, rows are shuffled with `seed`
// first; otherwise splits are consecutive runs in row order.
std::vector<std::vector<size_t>> SplitRows(size_t num_rows, const std::vector<double>& fractions, bool shuffle,
                                           uint64_t seed);

// Stratified: rows are shuffled with `seed`, each class (equal values of
// `classes`, in increasing order) is split with SplitSizes, the class parts are
// concatenated per split, and each split is shuffled again with the same
// generator. Every split keeps each class's share within one row.
std::vector<std::vector<size_t>> StratifiedSplitRows(const std::vector<double>& classes,
                                                     const std::vector<double>& fractions, uint64_t seed);

}  // namespace grove::data
