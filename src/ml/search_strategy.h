#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "ml/search_space.h"

namespace grove::ml {

// One point of a search: a model family and its hyperparameters.
struct TrialSpec {
  int number = 0;  // 0-based.
  std::string family;
  Json hyperparameters = Json::object();
};

// Proposes trials. Trial k of a strategy depends only on its configuration
// and k (and, for adaptive strategies, on the scores reported before it was
// proposed), so a search resumed after a crash proposes the same trials.
class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  // The next trial, or nullopt when the strategy has no more.
  virtual std::optional<TrialSpec> Next() = 0;
  // The score of a finished trial (higher is better; NaN for a failed trial).
  // Default: ignored.
  virtual void Report(int number, double score) {}
  // Whether Next() may be called now: false while the next trial depends on
  // scores not reported yet (so proposals do not depend on which of the
  // trials in flight happens to finish first). Default: always.
  virtual bool Ready() const { return true; }
};

// Uniform random search: trial k draws its family and every hyperparameter
// from a generator seeded with (seed, k).
std::unique_ptr<SearchStrategy> MakeRandomSearch(SearchSpace space, uint64_t seed, int max_trials);

// Every combination of every family's values, families in the order written,
// the last hyperparameter varying fastest; at most `max_trials`.
// InvalidArgument when a domain is continuous ({float: ...}).
Result<std::unique_ptr<SearchStrategy>> MakeGridSearch(SearchSpace space, int max_trials);

}  // namespace grove::ml
