#pragma once

#include <string>
#include <vector>

namespace grove::store {

// Pieces of NotFound messages, so that each one says what exists instead.

// "A, B, C" (the first `max` names, then ", ... (N more)"), or "none" when empty.
std::string NameList(const std::vector<std::string>& names, size_t max = 20);

// "versions 1-3", "version 1", or "no versions" for the given count of
// versions numbered 1..count.
std::string VersionRange(int count);

}  // namespace grove::store
