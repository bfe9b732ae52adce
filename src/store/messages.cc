#include "store/messages.h"

namespace grove::store {

std::string NameList(const std::vector<std::string>& names, size_t max) {
  if (names.empty()) return "none";
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > max) out += ", ... (" + std::to_string(names.size() - max) + " more)";
  return out;
}

std::string VersionRange(int count) {
  if (count <= 0) return "no versions";
  if (count == 1) return "version 1";
  return "versions 1-" + std::to_string(count);
}

}  // namespace grove::store
