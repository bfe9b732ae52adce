#include "data/csv_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/file_util.h"
#include "data/cell_text.h"

namespace grove::data {

namespace fs = std::filesystem;

namespace {

// Where the record parser is in one file's text.
struct Cursor {
  std::string_view text;
  size_t pos = 0;
  uint32_t line = 1;
};

bool AtRecordEnd(const Cursor& cur) {
  const std::string_view t = cur.text;
  if (cur.pos >= t.size() || t[cur.pos] == '\n') return true;
  return t[cur.pos] == '\r' && (cur.pos + 1 == t.size() || t[cur.pos + 1] == '\n');
}

// Consumes the "\n" or "\r\n" (or nothing at the end of the text) after a record.
void ConsumeRecordEnd(Cursor* cur) {
  if (cur->pos >= cur->text.size()) return;
  if (cur->text[cur->pos] == '\r') ++cur->pos;
  if (cur->pos < cur->text.size()) ++cur->pos;
  ++cur->line;
}

std::string_view ReadPlainField(Cursor* cur) {
  const std::string_view t = cur->text;
  const size_t start = cur->pos;
  size_t pos = start;
  while (pos < t.size()) {
    const char c = t[pos];
    if (c == ',' || c == '\n') break;
    if (c == '\r' && (pos + 1 == t.size() || t[pos + 1] == '\n')) break;  // A lone CR is data.
    ++pos;
  }
  cur->pos = pos;
  return t.substr(start, pos - start);
}

// Reads a field that starts with a quote. Fields holding "" escapes are
// unescaped into a new string in `arena`; others are views into the text.
Result<std::string_view> ReadQuotedField(Cursor* cur, const std::string& file_name, std::deque<std::string>* arena) {
  const uint32_t start_line = cur->line;
  const std::string_view t = cur->text;
  const size_t start = ++cur->pos;
  bool escaped = false;
  while (true) {
    size_t quote = t.find('"', cur->pos);
    if (quote == std::string_view::npos) {
      return Status::InvalidArgument(file_name + ":" + std::to_string(start_line) + ": a quoted field is not closed");
    }
    cur->line += static_cast<uint32_t>(std::count(t.begin() + cur->pos, t.begin() + quote, '\n'));
    cur->pos = quote + 1;
    if (cur->pos < t.size() && t[cur->pos] == '"') {
      escaped = true;
      ++cur->pos;
      continue;
    }
    break;
  }
  std::string_view field = t.substr(start, cur->pos - 1 - start);
  if (cur->pos < t.size() && t[cur->pos] != ',' && !AtRecordEnd(*cur)) {
    return Status::InvalidArgument(file_name + ":" + std::to_string(cur->line) +
                                   ": unexpected text after a closing quote");
  }
  if (!escaped) return field;
  std::string& unescaped = arena->emplace_back();
  unescaped.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    unescaped += field[i];
    if (field[i] == '"') ++i;  // Skip the second quote of "".
  }
  return std::string_view(unescaped);
}

void SkipEmptyLines(Cursor* cur) {
  while (cur->pos < cur->text.size() && AtRecordEnd(*cur)) ConsumeRecordEnd(cur);
}

// Reads the next record's fields; false when the text is exhausted. `*line`
// gets the line the record starts on.
Result<bool> NextRecord(Cursor* cur, const std::string& file_name, std::vector<std::string_view>* fields,
                        std::deque<std::string>* arena, uint32_t* line) {
  fields->clear();
  SkipEmptyLines(cur);
  if (cur->pos >= cur->text.size()) return false;
  *line = cur->line;
  while (true) {
    if (cur->pos < cur->text.size() && cur->text[cur->pos] == '"') {
      ASSIGN_OR_RETURN(std::string_view field, ReadQuotedField(cur, file_name, arena));
      fields->push_back(field);
    } else {
      fields->push_back(ReadPlainField(cur));
    }
    if (AtRecordEnd(*cur)) break;
    ++cur->pos;  // The comma.
  }
  ConsumeRecordEnd(cur);
  return true;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Status CheckNames(const std::vector<std::string>& names, const std::string& where) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return Status::InvalidArgument(where + ": column " + std::to_string(i + 1) +
                                     " has no name; name the columns with the 'columns' argument");
    }
    for (size_t j = 0; j < i; ++j) {
      if (names[i] == names[j]) {
        return Status::InvalidArgument(where + ": column name '" + names[i] + "' appears twice (columns " +
                                       std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")");
      }
    }
  }
  return Status::OK();
}

}  // namespace

Status CsvReader::StartColumns(const std::vector<std::string_view>& header, const std::string& file_name,
                               uint32_t line) {
  const std::string where = file_name + ":" + std::to_string(line);
  std::vector<std::string> raw(header.begin(), header.end());
  if (!names_.empty()) {
    if (raw != first_header_) {
      return Status::InvalidArgument(where + ": header (" + JoinNames(raw) + ") differs from the header of " +
                                     first_file_ + " (" + JoinNames(first_header_) + ")");
    }
    return Status::OK();
  }
  first_file_ = file_name;
  first_header_ = raw;
  if (options_.column_names.empty()) {
    RETURN_IF_ERROR(CheckNames(raw, where));
    names_ = raw;
  } else if (options_.column_names.size() != raw.size()) {
    return Status::InvalidArgument("columns: " + std::to_string(options_.column_names.size()) + " names given but " +
                                   first_file_ + " has " + std::to_string(raw.size()) + " columns (" + JoinNames(raw) +
                                   ")");
  } else {
    names_ = options_.column_names;
  }
  cells_.resize(names_.size());
  return Status::OK();
}

Status CsvReader::AddText(std::string text, std::string file_name) {
  std::string_view view = buffers_.emplace_back(std::move(text));
  if (view.starts_with("\xEF\xBB\xBF")) view.remove_prefix(3);
  uint32_t file_index = table_.AddFile(file_name);
  Cursor cursor{view};
  std::vector<std::string_view> fields;
  uint32_t line = 0;
  if (options_.header) {
    ASSIGN_OR_RETURN(bool found, NextRecord(&cursor, file_name, &fields, &buffers_, &line));
    if (!found) return Status::InvalidArgument(file_name + ": the file is empty; expected a header line");
    RETURN_IF_ERROR(StartColumns(fields, file_name, line));
  } else if (names_.empty()) {
    RETURN_IF_ERROR(CheckNames(options_.column_names, "columns"));
    if (options_.column_names.empty()) return Status::InvalidArgument("columns: required when header is false");
    names_ = options_.column_names;
    cells_.resize(names_.size());
  }
  // One record per line at most: reserving spares the regrowth copies.
  const size_t max_records = static_cast<size_t>(std::count(view.begin(), view.end(), '\n')) + 1;
  for (std::vector<std::string_view>& column : cells_) {
    const size_t needed = column.size() + max_records;
    if (column.capacity() < needed) column.reserve(std::max(needed, 2 * column.capacity()));
  }
  while (true) {
    ASSIGN_OR_RETURN(bool found, NextRecord(&cursor, file_name, &fields, &buffers_, &line));
    if (!found) break;
    if (fields.size() != names_.size()) {
      return Status::InvalidArgument(file_name + ":" + std::to_string(line) + ": row has " +
                                     std::to_string(fields.size()) + " fields, expected " +
                                     std::to_string(names_.size()));
    }
    for (size_t i = 0; i < fields.size(); ++i) cells_[i].push_back(fields[i]);
    table_.AddRow(file_index, line);
  }
  return Status::OK();
}

Status CsvReader::AddPath(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    return AddText(std::move(text), path.string());
  }
  // The error_code forms throughout: std::filesystem must not throw past us.
  std::vector<fs::path> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(type_ec) && it->path().extension() == ".csv" && !name.starts_with(".")) {
      files.push_back(it->path());
    }
  }
  if (ec) return Status::IOError("input: cannot list " + path.string() + ": " + ec.message());
  if (files.empty()) return Status::InvalidArgument(path.string() + ": the directory has no *.csv files");
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    RETURN_IF_ERROR(AddText(std::move(text), file.string()));
  }
  return Status::OK();
}

Column CsvReader::TypeColumn(size_t index) {
  Column column;
  column.name = names_[index];
  column.source_position = index + 1;
  const std::vector<std::string_view>& cells = cells_[index];
  if (!options_.text_columns.contains(column.name)) {
    column.numbers.resize(cells.size());
    bool numeric = true;
    for (size_t row = 0; row < cells.size() && numeric; ++row) {
      if (cells[row].empty()) {
        column.numbers[row] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      // A nan cell keeps the column text, so that ConvertToNumeric names it if
      // the column is used as a number.
      std::optional<double> value = ParseNumber(cells[row]);
      numeric = value.has_value() && !std::isnan(*value);
      if (numeric) column.numbers[row] = *value;
    }
    if (numeric) return column;
    column.numbers = {};
  }
  column.kind = ColumnKind::kText;
  column.texts.assign(cells.begin(), cells.end());
  return column;
}

Result<Table> CsvReader::Finish() {
  if (names_.empty()) return Status::InvalidArgument("no CSV input was read");
  for (size_t i = 0; i < names_.size(); ++i) table_.AddColumn(TypeColumn(i));
  cells_.clear();
  buffers_.clear();
  return std::move(table_);
}

Result<Table> ReadCsv(const fs::path& path, const CsvReadOptions& options) {
  CsvReader reader(options);
  RETURN_IF_ERROR(reader.AddPath(path));
  return reader.Finish();
}

}  // namespace grove::data
