// The CSV readers: data/csv_reader.h (training data: quoted fields, CRLF, BOM,
// several files with one header) and common/csv_line.h (one line's cells).
// The first byte picks the options (bit 0: no header, 1: rename the columns,
// 2: some columns as text); the rest is one file, or two split at the first
// form feed (a second file must repeat the first one's header).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv_line.h"
#include "data/cell_text.h"
#include "data/csv_reader.h"

namespace data = grove::data;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  // Without a header (or renamed), the columns are named c0, c1, ... for as many cells as the first line has.
  data::CsvReadOptions options;
  options.header = (flags & 1) == 0;
  if (!options.header || (flags & 2) != 0) {
    std::vector<std::string> first;
    grove::SplitCsvLine(text.substr(0, text.find('\n')), &first);
    for (size_t i = 0; i < first.size(); ++i) options.column_names.push_back("c" + std::to_string(i));
  }
  if ((flags & 4) != 0) options.text_columns = {"c0", "c2", "b"};
  data::CsvReader reader(options);
  const size_t split = text.find('\f');
  grove::Status added = reader.AddText(std::string(text.substr(0, split)), "first.csv");
  if (added.ok() && split != std::string_view::npos) added = reader.AddText(std::string(text.substr(split + 1)), "second.csv");
  if (added.ok()) {
    auto table = reader.Finish();
    if (table.ok()) {
      for (size_t c = 0; c < table->num_columns(); ++c) (void)table->ConvertToNumeric(c);
      for (size_t r = 0; r < table->num_rows(); ++r) (void)table->RowLocation(r);
    }
  }

  std::vector<std::string> cells;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (grove::SplitCsvLine(line, &cells)) {
      for (const std::string& cell : cells) (void)data::ParseNumber(cell);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return 0;
}
