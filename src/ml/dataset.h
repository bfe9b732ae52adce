#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ml/label_first_csv.h"

namespace grove::ml {

// What a model learns to predict. Binary classification labels are 0 or 1;
// regression labels are any finite number.
enum class TaskKind { kBinaryClassification, kRegression };

// "binary_classification" / "regression", and back (kInvalidArgument naming the valid kinds).
std::string_view TaskKindName(TaskKind task);
Result<TaskKind> ParseTaskKind(std::string_view name);

// A read-only view of `rows` x `cols` features, row-major. The viewed storage
// must outlive the view.
struct Features {
  std::span<const double> values;
  size_t rows = 0;
  size_t cols = 0;

  const double* Row(size_t r) const { return values.data() + r * cols; }
  double At(size_t r, size_t c) const { return values[r * cols + c]; }
};

// A dense tabular data set held in memory: features in double precision
// (row-major) and one label per row. Models take doubles because the solvers
// (Newton, Adam, least squares) accumulate in double; XGBoost gets a float copy.
struct Dataset {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<double> features;  // rows * cols values, row-major; NaN marks a missing value.
  std::vector<double> labels;    // rows values.

  Features View() const { return Features{features, rows, cols}; }
  const double* Row(size_t r) const { return features.data() + r * cols; }

  // The rows at `indices`, in that order (repeats allowed). REQUIRES: each index < rows.
  Dataset Subset(std::span<const size_t> indices) const;

  // A copy of a label-first CSV matrix (ReadLabelFirstCsv) in double precision.
  static Dataset FromLabeledMatrix(const LabeledMatrix& m);
  // Reads a label-first CSV (ReadLabelFirstCsv and its errors, which name
  // `name`, or the path when empty) into a Dataset.
  static Result<Dataset> ReadLabelFirstCsv(const std::filesystem::path& path, std::string_view name = {});
  // `values` are rows x (cols + 1) numbers, each row's label first (tests, small cases).
  static Dataset FromLabelFirstRows(const std::vector<std::vector<double>>& rows);
};

// Checks what every fit needs: at least one row and one column, consistent
// sizes, finite labels; for classification, labels 0/1 with both classes
// present. `who` prefixes the message ("logistic_regression: ...").
Status CheckTrainingData(const Dataset& data, TaskKind task, std::string_view who);

// kInvalidArgument naming the first missing or infinite feature ("row 3, column
// 5") for models that cannot handle missing values; the message says to impute first.
Status CheckFiniteFeatures(const Features& x, std::string_view who);

// kInvalidArgument unless `x` has `expected_cols` columns and consistent sizes.
Status CheckFeatureShape(const Features& x, size_t expected_cols, std::string_view who);

}  // namespace grove::ml
