#pragma once

#include <cstddef>
#include <string_view>

namespace grove {

// Levenshtein distance (insertions, deletions, substitutions each cost 1), for
// "did you mean" hints in error messages.
size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case = false);

}  // namespace grove
