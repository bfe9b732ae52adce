#include "serving/row_builder.h"

#include <cmath>
#include <limits>
#include <vector>

#include "data/cell_text.h"
#include "serving/csv_rows.h"

namespace grove::serving {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

bool IsBlank(std::string_view cell) {
  for (char c : cell) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

std::string Prefix(const std::string& where) { return where.empty() ? "" : where + ": "; }

}  // namespace

std::string QuotedCell(std::string_view cell) {
  constexpr size_t kMax = 40;
  if (cell.size() <= kMax) return "'" + std::string(cell) + "'";
  return "'" + std::string(cell.substr(0, kMax)) + "...'";
}

Status RowBuilder::BeginRow(size_t width, const std::string& where) {
  size_t row = ++request_->rows;
  if (row == 1) {
    request_->cols = width;
    if (request_->input == InputKind::kRaw) {
      request_->cells.reserve(width);
    } else {
      request_->features.reserve(width);
    }
    return Status::OK();
  }
  if (width == request_->cols) return Status::OK();
  return Status::InvalidArgument(Prefix(where) + "row " + std::to_string(row) + " has " + std::to_string(width) +
                                 " values, expected " + std::to_string(request_->cols) + " like row 1");
}

Status RowBuilder::AddText(std::string_view cell, size_t column, const std::string& where) {
  if (request_->input == InputKind::kRaw) {
    request_->cells.emplace_back(cell);
    return Status::OK();
  }
  if (IsBlank(cell)) {
    request_->features.push_back(kMissing);
    return Status::OK();
  }
  std::optional<double> x = data::ParseNumber(cell);
  if (!x) return CellError(column, where, QuotedCell(cell) + " is not a number");
  return AddFeature(*x, column, where);
}

Status RowBuilder::AddNumber(double x, size_t column, const std::string& where) {
  if (request_->input == InputKind::kRaw) return AddText(data::FormatNumber(x), column, where);
  return AddFeature(x, column, where);
}

void RowBuilder::AddNull() {
  if (request_->input == InputKind::kRaw) request_->cells.emplace_back();
  if (request_->input == InputKind::kFeatures) request_->features.push_back(kMissing);
}

Status RowBuilder::AddJson(const Json& cell, size_t column, const std::string& where) {
  if (cell.is_null()) {
    AddNull();
    return Status::OK();
  }
  if (cell.is_string()) return AddText(cell.get_ref<const std::string&>(), column, where);
  if (cell.is_number()) return AddNumber(cell.get<double>(), column, where);
  return CellError(column, where, std::string("expected a number, string or null, got ") + cell.type_name());
}

Status RowBuilder::AddFeature(double x, size_t column, const std::string& where) {
  if (std::abs(x) > std::numeric_limits<float>::max()) {
    return CellError(column, where, data::FormatNumber(x) + " is out of float range");
  }
  request_->features.push_back(static_cast<float>(x));
  return Status::OK();
}

Status RowBuilder::CellError(size_t column, const std::string& where, const std::string& what) const {
  return Status::InvalidArgument(Prefix(where) + "row " + std::to_string(request_->rows) + ", column " +
                                 std::to_string(column + 1) + ": " + what);
}

Status ReadCsvRows(std::string_view text, PredictRequest* request, const std::string& where) {
  RowBuilder builder(request);
  CsvRowReader reader(text);
  std::vector<std::string_view> cells;
  cells.reserve(32);  // One allocation for the usual row, not one per doubling.
  while (true) {
    Result<bool> more = reader.Next(&cells);
    if (!more.ok()) return where.empty() ? more.status() : more.status().WithContext(where);
    if (!*more) return Status::OK();
    RETURN_IF_ERROR(builder.BeginRow(cells.size(), where));
    for (size_t c = 0; c < cells.size(); ++c) RETURN_IF_ERROR(builder.AddText(cells[c], c, where));
  }
}

}  // namespace grove::serving
