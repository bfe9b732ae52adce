#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/hyperparameter_value.h"

namespace grove::ml {

// Reads one model family's hyperparameters from a JSON object, collecting every
// problem instead of stopping at the first. Values may be JSON numbers,
// booleans or strings ("50", "0.1", "true"), as tuning and SageMaker pass them.
// scikit-learn's None is JSON null or the string "None"/"none".
//
//   HyperparameterReader r("random_forest", hp);
//   int64_t trees = r.Integer("n_estimators", 100, {.lo = 1});
//   RETURN_IF_ERROR(r.Finish());
//
// Each accessor returns the fallback when the name is absent or its value is
// bad (the error is recorded). Messages name the hyperparameter and what is
// valid: `random_forest.max_features: expected one of sqrt, log2, all, none; got "half"`.
class HyperparameterReader {
 public:
  HyperparameterReader(std::string_view family, const Json& hyperparameters);

  int64_t Integer(std::string_view name, int64_t fallback, NumericRange range = {});
  // Like Integer, but None (null, "None") reads as nullopt (max_depth=None: unlimited).
  std::optional<int64_t> OptionalInteger(std::string_view name, std::optional<int64_t> fallback,
                                         NumericRange range = {});
  double Number(std::string_view name, double fallback, NumericRange range = {});
  bool Bool(std::string_view name, bool fallback);
  // One of `valid` (exact match; None reads as "none", so list "none" where None is allowed).
  std::string Choice(std::string_view name, std::string_view fallback, const std::vector<std::string>& valid);
  // Positive integers: 50, "50", "50,50", "(50, 50)" or [50, 50] (hidden_layer_sizes).
  std::vector<int64_t> PositiveIntegerList(std::string_view name, const std::vector<int64_t>& fallback);

  // Whether `name` was given (accepted names only; call after reading it).
  bool Has(std::string_view name) const;
  // Records a problem found by the caller (checks across hyperparameters).
  void AddError(std::string_view name, std::string_view message);

  // OK, or kInvalidArgument with every problem joined by "; ": bad values,
  // then unknown names (with close matches and the accepted names).
  Status Finish() const;

 private:
  const Json* Find(std::string_view name);
  void Expected(std::string_view name, std::string_view what, const Json& got);

  std::string family_;
  Json hyperparameters_;  // A copy: readers often outlive a temporary argument.
  std::vector<std::string> accepted_;
  std::vector<std::string> errors_;
};

// Whether a hyperparameter value spells scikit-learn's None (null, "None", "none").
bool IsNone(const Json& v);

}  // namespace grove::ml
