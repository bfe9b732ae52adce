#pragma once

#include <cstdio>
#include <string>

namespace grove {

// A number as people write it in messages: "0.05", "10", "1e+09" (printf's %g,
// six significant digits), not std::to_string's "0.050000".
inline std::string ShortNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace grove
