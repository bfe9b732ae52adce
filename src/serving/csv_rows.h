#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::serving {

// Reads headerless CSV text from a request body row by row, without copying
// cells that need no unescaping. RFC 4180 quoting ("a,b", "say ""hi""") is
// accepted; LF or CRLF ends a row; blank lines are skipped. Not thread-safe.
class CsvRowReader {
 public:
  // `text` must outlive the reader and the cells it returns.
  explicit CsvRowReader(std::string_view text) : text_(text) {}

  // Replaces *cells with the next row's cells, valid until the next call.
  // Returns false at the end of the text. An unterminated quote is
  // kInvalidArgument naming the row.
  Result<bool> Next(std::vector<std::string_view>* cells);

  // 1-based number of the row last returned (blank lines not counted).
  size_t row() const { return row_; }

 private:
  // Reads one quoted cell starting at pos_ (on the opening quote).
  Result<std::string_view> QuotedCell();

  std::string_view text_;
  size_t pos_ = 0;
  size_t row_ = 0;
  std::deque<std::string> unescaped_;  // Storage for cells with "" escapes.
};

}  // namespace grove::serving
