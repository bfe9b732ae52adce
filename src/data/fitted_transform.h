#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::data {

enum class FeatureKind { kNumeric, kOneHot };

// How one raw input column becomes output features, with its fitted values.
struct FeatureColumn {
  std::string name;
  FeatureKind kind = FeatureKind::kNumeric;
  // kNumeric: a missing cell becomes `impute` (NaN: stays missing); then, when
  // `scale`, x -> (x - mean) / std, where std is already 1 if the fitted std was 0.
  double impute = std::numeric_limits<double>::quiet_NaN();
  bool scale = false;
  double mean = 0;
  double std = 1;
  // kOneHot: an empty cell becomes `impute_text` (empty: stays missing, all
  // zeros); one 0/1 feature per category, in this order.
  std::string impute_text;
  std::vector<std::string> categories;
  bool unknown_is_error = false;  // Else an unseen category gives all zeros.
};

// A column of the training file that preparation dropped; `position` is its
// 0-based index among the training file's columns without the label.
struct DroppedColumn {
  std::string name;
  size_t position = 0;
};

struct LabelInfo {
  std::string column;
  bool classification = false;
  Json positive;  // classification: a string or number (see ScalarMatchesText).
};

// The fitted preparation: turns a raw row into the feature vector that
// RunPreparation wrote for it (without the label). Immutable after creation and
// safe to share between threads.
//
// A raw row has the training file's columns without the label, in the file's
// order, as text. The dropped columns may be absent (input_columns() cells) or
// present at their places (input_columns() + dropped cells); their cells are
// then ignored. The row width tells which.
class FittedTransform {
 public:
  static constexpr int kFormatVersion = 1;
  static constexpr const char* kFormatName = "grove.tabular_transform";

  // Builds the output layout: numeric features in input order, then the one-hot
  // blocks in input order. Fails on duplicate or empty names, or bad positions.
  static Result<FittedTransform> Create(std::vector<FeatureColumn> columns, std::vector<DroppedColumn> dropped,
                                        LabelInfo label);

  // Reads what ToJson wrote. Errors name the JSON path: "input_columns[2].std: expected a number".
  static Result<FittedTransform> FromJson(const Json& json);
  Json ToJson() const;

  const std::vector<FeatureColumn>& input_columns() const { return columns_; }
  const std::vector<DroppedColumn>& dropped_columns() const { return dropped_; }
  const LabelInfo& label() const { return label_; }
  // Output feature names: "length", ..., "sex_F", ...
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  size_t num_features() const { return feature_names_.size(); }
  // Index of input column `column`'s first feature.
  size_t feature_offset(size_t column) const { return offsets_[column]; }

  // Turns one raw row into its features. Errors name the column: "column
  // 'length' (input column 2): 'abc' is not a number".
  Result<std::vector<double>> ApplyToRow(const std::vector<std::string>& raw_cells) const;
  // The same into caller-owned storage, without allocating.
  // REQUIRES: features.size() == num_features().
  Status ApplyToRow(std::span<const std::string_view> raw_cells, std::span<double> features) const;

  // The numeric step for a parsed cell (NaN = missing). Finite for finite x
  // whenever the scaled value is, even where x - mean overflows (values of both
  // signs near DBL_MAX).
  static double TransformNumber(const FeatureColumn& column, double x) {
    if (x != x) x = column.impute;
    if (!column.scale) return x;
    const double z = (x - column.mean) / column.std;
    if (std::isinf(z) && std::isfinite(x)) return x / column.std - column.mean / column.std;
    return z;
  }
  // The category index of a one-hot cell after imputation, or -1 when missing
  // or unseen. REQUIRES: input_columns()[column].kind == kOneHot.
  int FindCategory(size_t column, std::string_view cell) const;

  // The label value of a cell: the number (regression) or 1/0 for equal /
  // not equal to the positive value (classification). Empty cells are errors.
  Result<double> EncodeLabel(std::string_view cell) const;

 private:
  FittedTransform() = default;
  // Checks the columns and derives the fields below. Errors name the JSON path.
  Status BuildLayout();
  Status MapWideRow();
  template <typename Cell>
  Status Apply(std::span<const Cell> cells, std::span<double> features) const;
  Status ApplyCell(size_t column, std::string_view cell, std::span<double> features) const;

  std::vector<FeatureColumn> columns_;
  std::vector<DroppedColumn> dropped_;
  LabelInfo label_;
  // Derived by BuildLayout:
  std::vector<std::string> feature_names_;
  std::vector<size_t> offsets_;
  std::vector<int> wide_to_input_;  // Per cell of a row with dropped columns: input column or -1.
  // Per one-hot column: (category, index) sorted by text, for lookups.
  std::vector<std::vector<std::pair<std::string, uint32_t>>> lookups_;
};

}  // namespace grove::data
