#include "data/table.h"

#include <cmath>
#include <limits>

#include "data/cell_text.h"

namespace grove::data {

std::optional<size_t> Table::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  return std::nullopt;
}

std::string Table::ColumnList() const {
  std::string list;
  for (const Column& column : columns_) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

std::string Table::RowLocation(size_t row) const {
  return files_[row_files_[row]] + ":" + std::to_string(row_lines_[row]);
}

std::string Table::CellLocation(size_t row, size_t column) const {
  return RowLocation(row) + ":" + std::to_string(columns_[column].source_position);
}

uint32_t Table::AddFile(std::string file_name) {
  files_.push_back(std::move(file_name));
  return static_cast<uint32_t>(files_.size() - 1);
}

void Table::AddRow(uint32_t file_index, uint32_t line) {
  row_files_.push_back(file_index);
  row_lines_.push_back(line);
}

void Table::RemoveColumn(size_t index) { columns_.erase(columns_.begin() + static_cast<ptrdiff_t>(index)); }

namespace {

template <typename T>
void KeepEntries(const std::vector<bool>& keep, std::vector<T>* values) {
  size_t out = 0;
  for (size_t i = 0; i < values->size(); ++i) {
    if (keep[i]) {
      if (out != i) (*values)[out] = std::move((*values)[i]);
      ++out;
    }
  }
  values->resize(out);
}

}  // namespace

void Table::KeepRows(const std::vector<bool>& keep) {
  KeepEntries(keep, &row_files_);
  KeepEntries(keep, &row_lines_);
  for (Column& column : columns_) {
    if (column.kind == ColumnKind::kNumeric) {
      KeepEntries(keep, &column.numbers);
    } else {
      KeepEntries(keep, &column.texts);
    }
  }
}

Status Table::CellError(size_t row, size_t index, std::string_view text_hint) const {
  const Column& column = columns_[index];
  const std::string& text = column.texts[row];
  const std::string where = CellLocation(row, index) + ": column '" + column.name + "': '" + text + "'";
  std::string_view kind = NonFiniteKind(text);
  if (kind.empty()) return Status::InvalidArgument(where + " is not a number" + std::string(text_hint));
  return Status::InvalidArgument(where + " is not a finite number (" + std::string(kind) +
                                 "); fix the cell, leave it empty to mark it missing, or filter the row out");
}

Status Table::ConvertToNumeric(size_t index, std::string_view text_hint) {
  Column& column = columns_[index];
  if (column.kind == ColumnKind::kNumeric) return Status::OK();
  std::vector<double> numbers(column.texts.size());
  for (size_t row = 0; row < column.texts.size(); ++row) {
    const std::string& text = column.texts[row];
    if (text.empty()) {
      numbers[row] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    std::optional<double> value = ParseNumber(text);
    if (!value || std::isnan(*value)) return CellError(row, index, text_hint);
    numbers[row] = *value;
  }
  column.numbers = std::move(numbers);
  column.texts.clear();
  column.kind = ColumnKind::kNumeric;
  return Status::OK();
}

}  // namespace grove::data
