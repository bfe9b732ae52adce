#pragma once

#include <string>
#include <string_view>

namespace grove {

// `text` with ASCII letters lowercased and every other byte as it is (UTF-8
// passes through), independent of the locale: for names, header fields, ARNs.
std::string AsciiLowercase(std::string_view text);

}  // namespace grove
