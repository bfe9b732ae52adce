#pragma once

// The one place that picks Grove's JSON type. Argument trees, reports and
// metadata documents are nlohmann::json values.
#include <nlohmann/json.hpp>

namespace grove {
using Json = nlohmann::json;
}  // namespace grove
