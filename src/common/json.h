#pragma once

// The one place that picks Grove's JSON type. Argument trees, reports and
// metadata documents are insertion-ordered JSON values, so a report keeps the
// key order its layout gives and a definition keeps the order its author wrote
// (split names, for instance). Use CanonicalJson where order must not matter.
#include <nlohmann/json.hpp>

#include <string>

namespace grove {

using Json = nlohmann::ordered_json;

// Compact text with object keys sorted at every level: equal documents give
// equal text whatever order their keys were written in (used for cache keys).
std::string CanonicalJson(const Json& value);

}  // namespace grove
