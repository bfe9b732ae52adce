#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace grove {

// Levenshtein distance (insertions, deletions, substitutions each cost 1), for
// "did you mean" hints in error messages.
size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case = false);

// "; did you mean 'X'?" for the candidate closest to `name` when it is close
// enough (ignoring case), else "".
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace grove
