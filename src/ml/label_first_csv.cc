#include "ml/label_first_csv.h"

#include <fast_float/fast_float.h>

#include <algorithm>
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

// Parses one trimmed cell; false when it is not entirely a number.
bool ParseCell(std::string_view cell, float* out) {
  const char* begin = cell.data();
  const char* end = begin + cell.size();
  // fast_float follows std::from_chars and rejects a leading '+'; CSV writers may emit one.
  if (begin != end && *begin == '+' && end - begin > 1 && begin[1] != '-') ++begin;
  auto result = fast_float::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

// Position of one line in the input, for messages.
struct LineRef {
  std::string_view source;
  size_t number = 0;
};

Status NotANumber(const LineRef& line, size_t column, size_t field, std::string_view cell) {
  std::string shown(cell.substr(0, kMaxQuotedCell));
  if (cell.size() > kMaxQuotedCell) shown += "...";
  return Status::InvalidArgument(std::string(line.source) + ":" + std::to_string(line.number) + ":" +
                                 std::to_string(column) + ": '" + shown + "' is not a number (field " +
                                 std::to_string(field) + ")");
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
      if (field == 0) {
        return Status::InvalidArgument(std::string(line.source) + ":" + std::to_string(line.number) + ":" +
                                       std::to_string(column) + ": the label (field 1) is empty");
      }
    } else if (!ParseCell(cell, &value)) {
      return NotANumber(line, column, field + 1, cell);
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

Result<LabeledMatrix> ReadLabelFirstCsv(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseLabelFirstCsv(text, path.string());
}

}  // namespace grove::ml
