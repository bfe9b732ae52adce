#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace grove::serving {

// A forward-only reader of JSON text for hot paths that expect a few fixed
// shapes (invocation bodies) and need no document. It checks JSON's grammar as
// it goes but names no errors: every call returns false where the text is not
// the expected token, and the caller hands such text to a general parser,
// which says what is wrong and where. Strings with raw bytes >= 0x80 (whose
// UTF-8 it does not check) and numbers beyond the double range are refused the
// same way. Not thread-safe; `text` must outlive the scanner.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  // Skips whitespace; the next character, or '\0' at the end of the text.
  char Peek();
  // Skips whitespace and consumes `c` if it is next.
  bool Consume(char c);
  // Skips whitespace; true when nothing else is left.
  bool AtEnd();

  // Reads a string. *out views the text when the string has no escapes, else
  // *storage, which receives the unescaped string.
  bool ReadString(std::string_view* out, std::string* storage);
  // Reads a number in JSON's grammar. Integers give their value as a double
  // (so "-0" is 0, as integer JSON parsers read it). With value null, only
  // checks the grammar (a number beyond the double range passes).
  bool ReadNumber(double* value);
  // Consumes `word` ("null", "true", "false") if it is next.
  bool ReadLiteral(std::string_view word);

  // Where the scanner is (after Peek, at the next token), to re-read a value later.
  size_t position() const { return pos_; }

 private:
  void SkipSpace();
  // Appends the UTF-8 of the \uXXXX escape (and its low surrogate) at pos_.
  bool Unescape(std::string* out);
  bool ReadHex4(unsigned* code);

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace grove::serving
