#include "common/json.h"

namespace grove {

std::string CanonicalJson(const Json& value) {
  // nlohmann::json (not ordered) keeps objects sorted by key.
  return nlohmann::json::parse(value.dump()).dump();
}

}  // namespace grove
