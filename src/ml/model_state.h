#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::ml {

// Helpers for the "state" part of a saved model (Model::SaveState/LoadState).
// Doubles are written with 17 significant digits, so they read back exactly.

inline constexpr size_t kAnySize = std::numeric_limits<size_t>::max();

Json DoublesToJson(std::span<const double> values);

// state[key] as finite doubles; kInvalidArgument naming the key when it is
// missing, not an array of numbers, or (unless kAnySize) not `size` long.
Result<std::vector<double>> ReadDoubles(const Json& state, std::string_view key, size_t size = kAnySize);
Result<double> ReadDouble(const Json& state, std::string_view key);
// A non-negative integer.
Result<size_t> ReadSize(const Json& state, std::string_view key);

}  // namespace grove::ml
