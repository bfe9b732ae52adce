#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::ml {

// A dense numeric data set: one label per row and `cols` features per row.
struct LabeledMatrix {
  size_t rows = 0;
  size_t cols = 0;              // Feature columns; the label is not counted.
  std::vector<float> labels;    // `rows` values.
  std::vector<float> features;  // rows * cols values, row-major; NaN marks a missing value.

  const float* Row(size_t r) const { return features.data() + r * cols; }
};

// Reads a headerless CSV whose first column is the label and whose other
// columns are numeric features (the SageMaker built-in XGBoost CSV layout).
// Empty feature cells are missing values (NaN), and so are nan/NaN ones, as
// XGBoost reads them; an empty or NaN label is an error; blank lines are
// skipped; CRLF and a UTF-8 byte order mark are accepted. Values are float32,
// as XGBoost trains on them: an infinite cell or one beyond float range (1e308)
// is an error. Errors name the place: "<name>:<line>:<column>: 'x' is not a
// number (field 3)" with a 1-based character column, or "<name>:<line>:
// expected 11 fields like line 1, got 9", where <name> is `name` (the input's
// argument name, "train") or, when empty, the path. A file without rows is an error.
Result<LabeledMatrix> ReadLabelFirstCsv(const std::filesystem::path& path, std::string_view name = {});

// The same over text already in memory; `source` names it in error messages.
Result<LabeledMatrix> ParseLabelFirstCsv(std::string_view text, std::string_view source);

}  // namespace grove::ml
