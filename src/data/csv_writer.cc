#include "data/csv_writer.h"

#include "data/cell_text.h"

namespace grove::data {

void AppendCsvLine(std::span<const double> values, std::string* out) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendNumber(values[i], out);
  }
  out->push_back('\n');
}

std::string FormatCsvRows(std::span<const double> matrix, size_t width, std::span<const size_t> rows) {
  std::string out;
  out.reserve(rows.size() * width * 12);
  for (size_t row : rows) AppendCsvLine(matrix.subspan(row * width, width), &out);
  return out;
}

}  // namespace grove::data
