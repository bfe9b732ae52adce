#include "ml/label_first_csv.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "common/file_util.h"

namespace grove::ml {
namespace {

constexpr size_t kMaxQuotedCell = 40;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// fast_float follows std::from_chars and rejects a leading '+'; CSV writers may emit one.
std::string_view WithoutPlus(std::string_view cell) {
  if (cell.size() > 1 && cell[0] == '+' && cell[1] != '-') cell.remove_prefix(1);
  return cell;
}

// Parses one trimmed cell; false when it is not entirely a number.
bool ParseCell(std::string_view cell, float* out) {
  cell = WithoutPlus(cell);
  auto result = fast_float::from_chars(cell.data(), cell.data() + cell.size(), *out);
  return result.ec == std::errc() && result.ptr == cell.data() + cell.size();
}

// Position of one line in the input, for messages.
struct LineRef {
  std::string_view source;
  size_t number = 0;
};

std::string CellPlace(const LineRef& line, size_t column) {
  return std::string(line.source) + ":" + std::to_string(line.number) + ":" + std::to_string(column) + ": ";
}

std::string Shown(std::string_view cell) {
  std::string shown(cell.substr(0, kMaxQuotedCell));
  if (cell.size() > kMaxQuotedCell) shown += "...";
  return shown;
}

Status NotANumber(const LineRef& line, size_t column, size_t field, std::string_view cell) {
  return Status::InvalidArgument(CellPlace(line, column) + "'" + Shown(cell) + "' is not a number (field " +
                                 std::to_string(field) + ")");
}

// A cell whose float `value` is infinite (inf, or beyond float range like
// 1e308), or a NaN label. XGBoost and the models hold data as float32.
Status NotFiniteFloat(const LineRef& line, size_t column, size_t field, std::string_view cell, float value) {
  double wide = 0;
  const std::string_view digits = WithoutPlus(cell);
  fast_float::from_chars(digits.data(), digits.data() + digits.size(), wide);
  const std::string what = std::isnan(value)  ? "is NaN"
                           : std::isinf(wide) ? "is infinite"
                                              : "is outside the float range (|x| <= 3.4028235e+38) of training";
  const bool label = field == 1;
  return Status::InvalidArgument(CellPlace(line, column) + (label ? "the label (field 1) '" : "'") + Shown(cell) +
                                 (label ? "' " : "' (field " + std::to_string(field) + ") ") + what +
                                 "; fix or rescale the " + (label ? "label" : "column") + ", or remove the row");
}

// Appends the cells of `text` (one line without its newline) to `out`.
// Returns the number of fields through `fields`.
Status ParseLine(std::string_view text, const LineRef& line, LabeledMatrix* out, size_t* fields) {
  size_t field = 0;
  size_t pos = 0;
  while (true) {
    size_t comma = text.find(',', pos);
    size_t stop = comma == std::string_view::npos ? text.size() : comma;
    std::string_view raw = text.substr(pos, stop - pos);
    std::string_view cell = TrimBlanks(raw);
    float value = std::numeric_limits<float>::quiet_NaN();
    size_t column = pos + static_cast<size_t>(cell.data() - raw.data()) + 1;
    if (cell.empty()) {
      if (field == 0) return Status::InvalidArgument(CellPlace(line, column) + "the label (field 1) is empty");
    } else if (!ParseCell(cell, &value)) {
      return NotANumber(line, column, field + 1, cell);
    } else if (std::isinf(value) || (field == 0 && std::isnan(value))) {
      return NotFiniteFloat(line, column, field + 1, cell, value);
    }
    if (field == 0) {
      out->labels.push_back(value);
    } else {
      out->features.push_back(value);
    }
    ++field;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  *fields = field;
  return Status::OK();
}

}  // namespace

Result<LabeledMatrix> ParseLabelFirstCsv(std::string_view text, std::string_view source) {
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) text.remove_prefix(3);
  LabeledMatrix out;
  size_t expected_rows = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  out.labels.reserve(expected_rows);
  size_t expected_fields = 0;
  size_t first_line = 0;
  LineRef line{source, 0};
  size_t pos = 0;
  while (pos < text.size()) {
    ++line.number;
    size_t newline = text.find('\n', pos);
    size_t stop = newline == std::string_view::npos ? text.size() : newline;
    std::string_view content = text.substr(pos, stop - pos);
    pos = stop + 1;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (TrimBlanks(content).empty()) continue;
    size_t fields = 0;
    RETURN_IF_ERROR(ParseLine(content, line, &out, &fields));
    if (expected_fields == 0) {
      expected_fields = fields;
      first_line = line.number;
      out.cols = fields - 1;
      out.features.reserve(expected_rows * out.cols);
    } else if (fields != expected_fields) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line.number) + ": expected " +
                                     std::to_string(expected_fields) + " fields like line " +
                                     std::to_string(first_line) + ", got " + std::to_string(fields));
    }
    ++out.rows;
  }
  if (out.rows == 0) return Status::InvalidArgument(std::string(source) + ": no data rows");
  return out;
}

Result<LabeledMatrix> ReadLabelFirstCsv(const std::filesystem::path& path, std::string_view name) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseLabelFirstCsv(text, name.empty() ? path.string() : std::string(name));
}

}  // namespace grove::ml
