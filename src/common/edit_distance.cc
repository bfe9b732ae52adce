#include "common/edit_distance.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace grove {

size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case) {
  auto fold = [ignore_case](char c) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(c)) : static_cast<unsigned char>(c);
  };
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c, /*ignore_case=*/true);
    if (d < best_distance && d < name.size()) {
      best = &c;
      best_distance = d;
    }
  }
  return best ? "; did you mean '" + *best + "'?" : "";
}

}  // namespace grove
