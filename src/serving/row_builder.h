#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "serving/payload.h"

namespace grove::serving {

// `cell` in single quotes for an error message, cut after 40 characters.
std::string QuotedCell(std::string_view cell);

// Appends rows to a request, cell by cell, checking that every row has the
// first row's width. Cells become features or raw text by request->input.
// `where` prefixes errors, e.g. "instances"; empty for CSV bodies. Errors are
// kInvalidArgument and name the row (1-based), the column and the cell.
class RowBuilder {
 public:
  explicit RowBuilder(PredictRequest* request) : request_(request) {}

  Status BeginRow(size_t width, const std::string& where);
  // A cell given as text (CSV, or a JSON string). `column` is 0-based.
  Status AddText(std::string_view cell, size_t column, const std::string& where);
  // A JSON number.
  Status AddNumber(double x, size_t column, const std::string& where);
  // A JSON null: missing.
  void AddNull();
  // A JSON value as one cell.
  Status AddJson(const Json& cell, size_t column, const std::string& where);

 private:
  Status AddFeature(double x, size_t column, const std::string& where);
  Status CellError(size_t column, const std::string& where, const std::string& what) const;

  PredictRequest* request_;
};

// Appends the rows of headerless CSV text to *request.
Status ReadCsvRows(std::string_view text, PredictRequest* request, const std::string& where);

}  // namespace grove::serving
