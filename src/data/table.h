#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::data {

enum class ColumnKind { kNumeric, kText };

// One named column. Exactly one of the two value vectors is in use, as `kind`
// says; both are indexed by row.
struct Column {
  std::string name;
  size_t source_position = 0;  // 1-based position in the source file, for messages.
  ColumnKind kind = ColumnKind::kNumeric;
  std::vector<double> numbers;     // kNumeric: NaN = missing.
  std::vector<std::string> texts;  // kText: "" = missing.
};

// A columnar table read from one or more CSV files. Every row remembers the file
// and line it came from, so an error about a cell can say where the cell is.
class Table {
 public:
  size_t num_rows() const { return row_lines_.size(); }
  size_t num_columns() const { return columns_.size(); }
  const std::vector<Column>& columns() const { return columns_; }
  const Column& column(size_t index) const { return columns_[index]; }
  Column& mutable_column(size_t index) { return columns_[index]; }

  // The index of the column named `name`, or nullopt.
  std::optional<size_t> FindColumn(std::string_view name) const;

  // Comma-separated column names, for "no column 'x' (columns: ...)" messages.
  std::string ColumnList() const;

  // "<file>:<line>" of a row and "<file>:<line>:<position>" of a cell.
  std::string RowLocation(size_t row) const;
  std::string CellLocation(size_t row, size_t column) const;

  // Appends a column. REQUIRES: its value vector has num_rows() entries once
  // all rows are added (the reader adds rows first, then columns).
  void AddColumn(Column column) { columns_.push_back(std::move(column)); }

  // Registers a source file; returns its index for AddRow.
  uint32_t AddFile(std::string file_name);
  // Records that the next row comes from `file_index` at `line` (1-based).
  void AddRow(uint32_t file_index, uint32_t line);

  // Removes the column at `index`.
  void RemoveColumn(size_t index);

  // Keeps only the rows whose `keep` entry is true, in order.
  // REQUIRES: keep.size() == num_rows().
  void KeepRows(const std::vector<bool>& keep);

  // Turns a text column into a numeric one. Empty cells become NaN. Fails on the
  // first cell that is not a finite number: "<file>:<line>:<pos>: column 'x': 'abc'
  // is not a number" followed by `text_hint`, or "... 'inf' is not a finite number
  // (infinite); ..." for nan, inf and the like. On failure the column is unchanged.
  Status ConvertToNumeric(size_t index, std::string_view text_hint = {});

 private:
  // The error for text cell (`row`, `index`), which is not a finite number.
  Status CellError(size_t row, size_t index, std::string_view text_hint) const;

  std::vector<Column> columns_;
  std::vector<std::string> files_;
  std::vector<uint32_t> row_files_;  // Per row: index into files_.
  std::vector<uint32_t> row_lines_;  // Per row: 1-based line where the record starts.
};

}  // namespace grove::data
