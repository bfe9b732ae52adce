#include "common/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace grove {

size_t ValidUtf8Prefix(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return i;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t j = 1; j < n; ++j) {
      auto next = static_cast<unsigned char>(text[i + j]);
      if ((next >> 6) != 0x2) return i;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n;
  }
  return text.size();
}

Status CheckUtf8Text(std::string_view text, const std::string& source, const std::string& what) {
  const size_t bad = ValidUtf8Prefix(text);
  if (bad == text.size()) return Status::OK();
  const std::string_view before = text.substr(0, bad);
  const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column = bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  char byte[8];
  std::snprintf(byte, sizeof(byte), "0x%02X", static_cast<unsigned char>(text[bad]));
  return Status::InvalidArgument(source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                 ": not valid UTF-8 (byte " + byte + "); " + what + " must be UTF-8 text");
}

}  // namespace grove
