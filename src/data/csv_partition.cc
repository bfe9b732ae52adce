#include "data/csv_partition.h"

#include <vector>

namespace grove::data {

namespace {

// One record of CSV text: its bytes (without the line end) and its fields, unquoted.
struct Record {
  std::string_view bytes;
  std::vector<std::string> fields;
};

// Reads the record starting at `pos`, advancing `pos` past its line end and `line` by the lines it spans.
Result<Record> NextRecord(std::string_view text, size_t& pos, int& line, const std::string& source) {
  Record r;
  const size_t start = pos;
  const int first_line = line;
  std::string field;
  bool quoted = false;
  size_t end = text.size();
  while (pos < text.size()) {
    char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      r.fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      end = pos;
      ++pos;
      ++line;
      break;
    } else {
      field += c;
    }
    ++pos;
  }
  if (quoted) {
    return Status::InvalidArgument(source + ":" + std::to_string(first_line) + ": a quoted field is not closed");
  }
  if (end == text.size()) end = pos;
  if (end > start && text[end - 1] == '\r') {
    --end;
    if (!field.empty() && field.back() == '\r') field.pop_back();
  }
  r.fields.push_back(std::move(field));
  r.bytes = text.substr(start, end - start);
  return r;
}

}  // namespace

Result<std::map<std::string, std::string>> PartitionCsvByColumn(std::string_view text, const std::string& column,
                                                                const std::string& source) {
  size_t pos = 0;
  int line = 1;
  if (text.empty()) return Status::InvalidArgument(source + ": empty file (a header row naming " + column + " was expected)");
  ASSIGN_OR_RETURN(Record header, NextRecord(text, pos, line, source));
  size_t index = header.fields.size();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (header.fields[i] == column) index = i;
  }
  if (index == header.fields.size()) {
    std::string names;
    for (const std::string& f : header.fields) names += (names.empty() ? "" : ", ") + f;
    return Status::InvalidArgument(source + ":1: no column named '" + column + "' (columns: " + names + ")");
  }
  const std::string head = std::string(header.bytes) + "\n";
  std::map<std::string, std::string> parts;
  while (pos < text.size()) {
    const int at = line;
    ASSIGN_OR_RETURN(Record r, NextRecord(text, pos, line, source));
    if (r.bytes.empty()) continue;  // Blank lines, e.g. a trailing one.
    if (r.fields.size() != header.fields.size()) {
      return Status::InvalidArgument(source + ":" + std::to_string(at) + ": " + std::to_string(r.fields.size()) +
                                     " fields, but the header has " + std::to_string(header.fields.size()));
    }
    const std::string& value = r.fields[index];
    if (value.empty()) {
      return Status::InvalidArgument(source + ":" + std::to_string(at) + ":" + std::to_string(index + 1) + ": " +
                                     column + " is empty");
    }
    std::string& part = parts[value];
    if (part.empty()) part = head;
    part.append(r.bytes);
    part += '\n';
  }
  return parts;
}

}  // namespace grove::data
