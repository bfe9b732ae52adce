#pragma once

#include <deque>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/table.h"

namespace grove::data {

struct CsvReadOptions {
  // The first record of every file names the columns. Default: true.
  bool header = true;
  // Column names. REQUIRED when !header; with a header, renames the columns and
  // must have the header's count. Default: empty (use the header).
  std::vector<std::string> column_names;
  // Columns read as text even when every cell is a number (categorical codes,
  // class labels). Names are the final (renamed) ones; unknown names are ignored.
  std::set<std::string, std::less<>> text_columns;
};

// Reads CSV (RFC 4180: quoted fields with "" escapes and line breaks, LF or
// CRLF records, an optional UTF-8 BOM) into a Table. Empty lines are skipped;
// empty cells are missing. A column is numeric when every non-empty cell is a
// finite number (ParseNumber, not NaN), unless it is in text_columns; otherwise
// it is text (Table::ConvertToNumeric then names a nan or inf cell).
//
// Usage: add the files in order, then Finish once. Errors name the file and
// line: "<file>:<line>: row has 8 fields, expected 9".
class CsvReader {
 public:
  explicit CsvReader(CsvReadOptions options) : options_(std::move(options)) {}

  // Adds CSV text; `file_name` appears in messages. With a header, every file
  // must have the same header as the first.
  Status AddText(std::string text, std::string file_name);

  // Reads `path`: a CSV file, or a directory whose *.csv files (sorted by name,
  // hidden files skipped) are added in order. A directory without any is an error.
  Status AddPath(const std::filesystem::path& path);

  // Types the columns and builds the table. REQUIRES: called once, last.
  Result<Table> Finish();

 private:
  // Takes the first header's names, or checks a later file's header against it.
  Status StartColumns(const std::vector<std::string_view>& header, const std::string& file_name, uint32_t line);
  Status AddRecords(std::string_view text, size_t pos, uint32_t line, uint32_t file_index);
  Column TypeColumn(size_t index);

  CsvReadOptions options_;
  std::deque<std::string> buffers_;  // File texts and unescaped fields; cells_ points into them.
  std::vector<std::string> names_;
  std::vector<std::string> first_header_;             // The first file's raw header, to compare others with.
  std::string first_file_;                            // The file the names come from.
  std::vector<std::vector<std::string_view>> cells_;  // Per column, per row.
  Table table_;                                       // Collects files and row origins.
};

// Reads `path` (see CsvReader::AddPath) with `options` into a Table.
Result<Table> ReadCsv(const std::filesystem::path& path, const CsvReadOptions& options);

}  // namespace grove::data
