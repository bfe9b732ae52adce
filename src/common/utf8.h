#pragma once

// Checking that text is UTF-8, for readers whose text becomes JSON strings:
// nlohmann's dump() throws on invalid UTF-8, so such bytes are refused where
// they come in, with their position.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove {

// The length of the longest prefix of `text` that is well-formed UTF-8 (no
// overlongs, surrogates or code points above U+10FFFF): text.size() when all is.
size_t ValidUtf8Prefix(std::string_view text);

inline bool IsUtf8(std::string_view text) { return ValidUtf8Prefix(text) == text.size(); }

// OK when `text` is UTF-8; else InvalidArgument "<source>:<line>:<column>: not
// valid UTF-8 (byte 0xFF); <what> must be UTF-8 text", lines and columns (in
// bytes) from 1.
Status CheckUtf8Text(std::string_view text, const std::string& source, const std::string& what);

}  // namespace grove
