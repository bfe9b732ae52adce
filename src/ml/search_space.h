#pragma once

// Hyperparameter search spaces, written in YAML/JSON per model family, so the
// spaces of the reference pipelines are written as they are:
//
//   random_forest:
//     n_estimators: {range: [50, 550, 50]}     # Python range(start, stop, step): 50, 100, ..., 500
//     criterion: [gini, entropy]               # a list: categorical
//     min_samples_split: {int: [2, 11]}        # integers, both ends included
//   mlp:
//     learning_rate_init: {logspace: [-3, -1, 5]}   # numpy.logspace(start, stop, num)
//   xgboost:
//     subsample: {linspace: [0.6, 1, 5]}       # numpy.linspace(start, stop, num)
//     eta: {float: [0.1, 1], log: true}        # continuous, optionally log-uniform
//
// A family with no hyperparameters is written `{}`.

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

struct ParamDomain {
  enum class Kind { kCategorical, kInt, kFloat };
  Kind kind = Kind::kCategorical;
  std::vector<Json> values;  // kCategorical.
  double low = 0;            // kInt, kFloat: inclusive bounds.
  double high = 0;
  bool log = false;          // kFloat (and kInt): sample uniformly in log space.

  // The number of distinct values; 0 for continuous (kFloat) domains.
  size_t Cardinality() const;
};

struct FamilySpace {
  std::string family;
  std::vector<std::pair<std::string, ParamDomain>> params;  // In the order written.
};

struct SearchSpace {
  std::vector<FamilySpace> families;  // In the order written.
};

// Parses a search space. Errors name the path, e.g.
// "search_space.mlp.alpha: expected a list or one of {int, float, range, logspace, linspace}".
Result<SearchSpace> ParseSearchSpace(const Json& space, const std::string& field = "search_space");

// One value drawn uniformly from `d` (log-uniformly for log ranges): a list
// entry, an integer (Json integer) or a float.
Json SampleParam(const ParamDomain& d, std::mt19937_64* rng);

// The generator of trial `number` of a seeded search: the same (seed, number)
// gives the same stream however trials are scheduled.
std::mt19937_64 TrialRng(uint64_t seed, int number);

}  // namespace grove::ml
