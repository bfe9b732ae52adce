#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace grove::ml {

// Readers for hyperparameter values that arrive as JSON numbers, booleans or
// strings (SageMaker passes every value as a string: "50", "0.2", "true").
// Each returns nullopt when the value does not have the asked-for type.

// A finite number, or a string holding exactly one (surrounding blanks allowed).
std::optional<double> HyperparameterNumber(const Json& v);
// An integral number (50, 50.0, "50"), exactly representable in a double.
std::optional<int64_t> HyperparameterInteger(const Json& v);
// true/false, 1/0, or a string "true"/"false"/"1"/"0" (any case).
std::optional<bool> HyperparameterBool(const Json& v);
// A comma list in a string ("rmse, mae") or an array of strings; every item
// non-empty after trimming.
std::optional<std::vector<std::string>> HyperparameterList(const Json& v);

// Monotone constraints as XGBoost reads them, "(1,0,-1)", from that string
// form (parentheses optional) or a JSON array of -1/0/1.
std::optional<std::string> HyperparameterMonotone(const Json& v);
// Interaction constraints as XGBoost reads them, "[[0,1],[2,3]]", from that
// string form or a JSON array of arrays of feature indices (>= 0).
std::optional<std::string> HyperparameterInteraction(const Json& v);

// An interval of allowed values; infinite ends are unbounded.
struct NumericRange {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  bool Contains(double v) const;
  // "a number in (0, 1]", "an integer >= 1", "a number" (with noun "a number").
  std::string Describe(std::string_view noun) const;
};

// Shortest text that reads back as the same double: 0.2 -> "0.2", 4 -> "4".
std::string FormatNumber(double v);

}  // namespace grove::ml
