#include "serving/json_scanner.h"

#include <cmath>

#include <fast_float/fast_float.h>

namespace grove::serving {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(unsigned code, std::string* out) {
  if (code < 0x80) {
    *out += static_cast<char>(code);
  } else if (code < 0x800) {
    *out += static_cast<char>(0xC0 | (code >> 6));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    *out += static_cast<char>(0xE0 | (code >> 12));
    *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (code >> 18));
    *out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

void JsonScanner::SkipSpace() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
    ++pos_;
  }
}

char JsonScanner::Peek() {
  SkipSpace();
  return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool JsonScanner::Consume(char c) {
  if (Peek() != c || pos_ >= text_.size()) return false;
  ++pos_;
  return true;
}

bool JsonScanner::AtEnd() {
  SkipSpace();
  return pos_ == text_.size();
}

bool JsonScanner::ReadString(std::string_view* out, std::string* storage) {
  if (!Consume('"')) return false;
  const size_t start = pos_;
  // The common case: no escapes, so the string is a view of the text.
  while (pos_ < text_.size()) {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      *out = text_.substr(start, pos_++ - start);
      return true;
    }
    if (c == '\\') break;
    if (c < 0x20 || c >= 0x80) return false;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  storage->assign(text_.substr(start, pos_ - start));
  while (pos_ < text_.size()) {
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      ++pos_;
      *out = *storage;
      return true;
    }
    if (c < 0x20 || c >= 0x80) return false;
    if (c != '\\') {
      size_t run = pos_ + 1;  // Plain characters up to the next quote or escape, appended at once.
      while (run < text_.size() && text_[run] != '"' && text_[run] != '\\' &&
             static_cast<unsigned char>(text_[run]) >= 0x20 && static_cast<unsigned char>(text_[run]) < 0x80) {
        ++run;
      }
      storage->append(text_.substr(pos_, run - pos_));
      pos_ = run;
      continue;
    }
    if (++pos_ >= text_.size()) return false;
    char e = text_[pos_++];
    switch (e) {
      case '"': *storage += '"'; break;
      case '\\': *storage += '\\'; break;
      case '/': *storage += '/'; break;
      case 'b': *storage += '\b'; break;
      case 'f': *storage += '\f'; break;
      case 'n': *storage += '\n'; break;
      case 'r': *storage += '\r'; break;
      case 't': *storage += '\t'; break;
      case 'u':
        if (!Unescape(storage)) return false;
        break;
      default: return false;
    }
  }
  return false;
}

bool JsonScanner::ReadHex4(unsigned* code) {
  if (text_.size() - pos_ < 4) return false;
  *code = 0;
  for (int i = 0; i < 4; ++i) {
    char c = text_[pos_++];
    unsigned digit = IsDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 16;
    if (digit > 15) return false;
    *code = *code * 16 + digit;
  }
  return true;
}

bool JsonScanner::Unescape(std::string* out) {
  unsigned code = 0;
  if (!ReadHex4(&code)) return false;
  if (code >= 0xDC00 && code <= 0xDFFF) return false;  // A low surrogate alone.
  if (code >= 0xD800 && code <= 0xDBFF) {
    unsigned low = 0;
    if (text_.substr(pos_, 2) != "\\u") return false;
    pos_ += 2;
    if (!ReadHex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
  }
  AppendUtf8(code, out);
  return true;
}

bool JsonScanner::ReadNumber(double* value) {
  SkipSpace();
  const size_t start = pos_;
  auto digits = [&] {
    size_t from = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    return pos_ > from;
  };
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '0') {
    ++pos_;
  } else if (!digits()) {
    return false;
  }
  bool integer = true;
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    integer = false;
    if (!digits()) return false;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    integer = false;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (!digits()) return false;
  }
  if (value == nullptr) return true;
  // fast_float: libstdc++'s std::from_chars takes twice the instructions.
  fast_float::from_chars_result r = fast_float::from_chars(text_.data() + start, text_.data() + pos_, *value);
  if (r.ec != std::errc() || !std::isfinite(*value)) return false;
  if (integer) *value += 0.0;  // -0 -> 0.
  return true;
}

bool JsonScanner::ReadLiteral(std::string_view word) {
  SkipSpace();
  if (text_.substr(pos_, word.size()) != word) return false;
  pos_ += word.size();
  return true;
}

}  // namespace grove::serving
