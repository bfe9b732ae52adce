#pragma once

#include <cstddef>
#include <vector>

#include "common/status.h"
#include "data/fitted_transform.h"
#include "data/prepare_spec.h"
#include "data/table.h"

namespace grove::data {

// Rows of doubles, row-major: the label in column 0, then the features.
struct LabeledMatrix {
  size_t rows = 0;
  size_t width = 0;  // 1 + number of features.
  std::vector<double> values;

  const double* row(size_t r) const { return values.data() + r * width; }
};

// Fits the transforms of `spec` on every row of `table` (read, dropped and
// filtered). Columns used numerically that were read as text are converted in
// place, failing on the first cell that is not a number, with its location.
// `dropped` is recorded so that raw rows may still carry those columns.
// REQUIRES: CheckColumnReferences(spec, ...) passed; one_hot columns are text.
Result<FittedTransform> FitTransform(const PrepareSpec& spec, std::vector<DroppedColumn> dropped, Table* table);

// Applies `transform` to every row of `table` and encodes the label (see
// FittedTransform::EncodeLabel); a regression label read as text is converted
// in place. Errors name the cell: "<file>:<line>:<col>: ...", e.g. an empty,
// NaN or infinite label ("the label 'rings' is NaN ('nan')"). A classification
// label with one class only (no row positive, or every row) is an error.
Result<LabeledMatrix> ApplyTransform(const FittedTransform& transform, Table* table);

}  // namespace grove::data
