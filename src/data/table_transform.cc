#include "data/table_transform.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <set>

#include "data/cell_text.h"
#include "data/column_stats.h"

namespace grove::data {

namespace {

// The transform entry naming `name` and its index, or {nullptr, 0}.
std::pair<const TransformSpec*, size_t> FindTransform(const PrepareSpec& spec, const std::string& name) {
  for (size_t i = 0; i < spec.transforms.size(); ++i) {
    const std::vector<std::string>& columns = spec.transforms[i].columns;
    if (std::find(columns.begin(), columns.end(), name) != columns.end()) return {&spec.transforms[i], i};
  }
  return {nullptr, 0};
}

Status FitError(size_t index, const std::string& field, const std::string& message) {
  return Status::InvalidArgument("transforms[" + std::to_string(index) + "]." + field + ": " + message);
}

double ImputeValue(const TransformSpec& t, const std::vector<double>& values) {
  switch (t.impute) {
    case ImputeKind::kMedian: return Median(values);
    case ImputeKind::kMean: return Mean(values);
    case ImputeKind::kConstant: return ScalarNumber(t.impute_constant).value_or(std::nan(""));
    case ImputeKind::kNone: break;
  }
  return std::nan("");
}

// Fits mean and std on the imputed values. A constant column gets std 1 and
// its exact value as mean, so it scales to exactly 0 (sklearn's zero-variance rule).
Status FitScale(const std::vector<double>& values, size_t index, FeatureColumn* c) {
  std::vector<double> imputed = values;
  for (double& v : imputed) {
    if (std::isnan(v)) v = c->impute;
  }
  c->scale = true;
  c->mean = Mean(imputed);
  if (std::isnan(c->mean)) return FitError(index, "scale", "column '" + c->name + "' has no values to scale");
  c->std = PopulationStd(imputed, c->mean);
  double lo = INFINITY, hi = -INFINITY;
  for (double v : imputed) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo == hi || c->std == 0) {
    c->mean = lo;
    c->std = 1;
  }
  return Status::OK();
}

Result<FeatureColumn> FitNumeric(Table* table, size_t column, const TransformSpec* t, size_t index) {
  const std::string& name = table->column(column).name;
  const bool pass_through = t == nullptr || (t->impute == ImputeKind::kNone && !t->scale);
  const std::string text_hint = pass_through ? "; it is text: one-hot encode it (transforms: [{columns: [" + name +
                                                   "], one_hot: true}]) or drop it (drop: [" + name + "])"
                                             : "";
  RETURN_IF_ERROR(table->ConvertToNumeric(column, text_hint));
  FeatureColumn c;
  c.name = name;
  if (t == nullptr) return c;
  const std::vector<double>& values = table->column(column).numbers;
  if (t->impute != ImputeKind::kNone) {
    c.impute = ImputeValue(*t, values);
    if (std::isnan(c.impute)) return FitError(index, "impute", "column '" + name + "' has no values to impute from");
  }
  if (t->scale) RETURN_IF_ERROR(FitScale(values, index, &c));
  return c;
}

Result<FeatureColumn> FitOneHot(const Table& table, size_t column, const TransformSpec& t, size_t index) {
  const Column& source = table.column(column);
  if (source.kind != ColumnKind::kText)
    return Status::Internal("one-hot column '" + source.name + "' was not read as text");
  FeatureColumn c;
  c.name = source.name;
  c.kind = FeatureKind::kOneHot;
  c.unknown_is_error = t.unknown_is_error;
  if (t.impute == ImputeKind::kConstant) c.impute_text = ScalarText(t.impute_constant);
  c.categories = SortedCategories(source.texts);
  const bool has_missing = std::any_of(source.texts.begin(), source.texts.end(), [](auto& s) { return s.empty(); });
  if (has_missing && !c.impute_text.empty()) {
    c.categories.push_back(c.impute_text);
    c.categories = SortedCategories(c.categories);
  }
  if (c.categories.empty()) return FitError(index, "one_hot", "column '" + c.name + "' has no values to encode");
  return c;
}

// A classification label whose rows are all negative (`positive_only` false) or
// all positive: one class only, so nothing can be learned and AUC is undefined.
Status OneClassOnly(const LabelInfo& label, const Column& column, bool positive_only) {
  const std::string tail =
      ": one class only, so AUC is undefined; binary classification needs rows of both classes "
      "(check label.positive and the filters)";
  const std::string positive = label.column + " = '" + ScalarText(label.positive) + "'";
  if (positive_only) return Status::InvalidArgument("label.positive: every row has " + positive + tail);
  std::set<std::string> seen(column.texts.begin(), column.texts.end());
  std::string values;
  for (const std::string& v : seen) values += (values.empty() ? "'" : ", '") + v + "'";
  if (values.size() > 300) values.replace(300, std::string::npos, "...");
  return Status::InvalidArgument("label.positive: no row has " + positive + " (values: " + values + ")" + tail);
}

// Refuses a text label cell that is a NaN or infinite number, naming it as such.
Status CheckLabelCells(const Table& table, size_t j) {
  const Column& column = table.column(j);
  if (column.kind != ColumnKind::kText) return Status::OK();  // The reader found only finite numbers.
  for (size_t r = 0; r < column.texts.size(); ++r) {
    std::string_view kind = NonFiniteKind(column.texts[r]);
    if (kind.empty()) continue;
    return Status::InvalidArgument(table.CellLocation(r, j) + ": the label '" + column.name + "' is " +
                                   std::string(kind) + " ('" + column.texts[r] +
                                   "'); every row needs a finite label: fix the cell or filter the row out");
  }
  return Status::OK();
}

// Refuses a prepared value that training (XGBoost, in float32) would read as
// infinite, naming the input cell it came from. Missing values (NaN) pass.
Status CheckFloatRange(const Table& table, size_t row, size_t column, double value, const char* what) {
  if (!(std::fabs(value) > FLT_MAX)) return Status::OK();
  const Column& c = table.column(column);
  const std::string text = c.kind == ColumnKind::kNumeric ? ScalarText(Json(c.numbers[row])) : c.texts[row];
  return Status::InvalidArgument(table.CellLocation(row, column) + ": " + what + " '" + c.name + "': '" + text +
                                 "' is outside the float range (|x| <= 3.4028235e+38) of training; fix or rescale "
                                 "it, or filter the row out");
}

// Encodes the label column into column 0 of `matrix` (see FittedTransform::EncodeLabel).
Status EncodeLabels(const FittedTransform& transform, Table* table, LabeledMatrix* matrix) {
  const LabelInfo& label = transform.label();
  const size_t j = *table->FindColumn(label.column);
  RETURN_IF_ERROR(CheckLabelCells(*table, j));
  if (!label.classification) RETURN_IF_ERROR(table->ConvertToNumeric(j));
  const Column& column = table->column(j);
  size_t positives = 0;
  for (size_t r = 0; r < matrix->rows; ++r) {
    const bool empty = label.classification ? column.texts[r].empty() : std::isnan(column.numbers[r]);
    if (empty)
      return Status::InvalidArgument(table->CellLocation(r, j) + ": the label '" + label.column + "' is empty");
    double& out = matrix->values[r * matrix->width];
    if (label.classification) {
      out = ScalarMatchesText(label.positive, column.texts[r]) ? 1.0 : 0.0;
      positives += out == 1.0;
    } else {
      out = column.numbers[r];
      RETURN_IF_ERROR(CheckFloatRange(*table, r, j, out, "the label"));
    }
  }
  if (label.classification && matrix->rows > 0 && (positives == 0 || positives == matrix->rows)) {
    return OneClassOnly(label, column, positives > 0);
  }
  return Status::OK();
}

// Writes input column `input` (table column `j`) into its place in `matrix`.
Status ApplyColumn(const FittedTransform& transform, size_t input, const Table& table, size_t j,
                   LabeledMatrix* matrix) {
  const FeatureColumn& c = transform.input_columns()[input];
  const Column& column = table.column(j);
  const size_t offset = 1 + transform.feature_offset(input);
  for (size_t r = 0; r < matrix->rows; ++r) {
    double* out = matrix->values.data() + r * matrix->width + offset;
    if (c.kind == FeatureKind::kNumeric) {
      *out = FittedTransform::TransformNumber(c, column.numbers[r]);
      RETURN_IF_ERROR(CheckFloatRange(table, r, j, *out, c.scale ? "scaled column" : "column"));
    } else {
      int category = transform.FindCategory(input, column.texts[r]);
      if (category >= 0) out[category] = 1.0;
    }
  }
  return Status::OK();
}

}  // namespace

Result<FittedTransform> FitTransform(const PrepareSpec& spec, std::vector<DroppedColumn> dropped, Table* table) {
  std::vector<FeatureColumn> columns;
  for (size_t j = 0; j < table->num_columns(); ++j) {
    const std::string name = table->column(j).name;
    if (name == spec.label.column) continue;
    auto [t, index] = FindTransform(spec, name);
    ASSIGN_OR_RETURN(FeatureColumn c,
                     (t != nullptr && t->one_hot) ? FitOneHot(*table, j, *t, index) : FitNumeric(table, j, t, index));
    columns.push_back(std::move(c));
  }
  LabelInfo label{spec.label.column, spec.label.classification, spec.label.positive};
  return FittedTransform::Create(std::move(columns), std::move(dropped), std::move(label));
}

Result<LabeledMatrix> ApplyTransform(const FittedTransform& transform, Table* table) {
  LabeledMatrix matrix;
  matrix.rows = table->num_rows();
  matrix.width = 1 + transform.num_features();
  matrix.values.assign(matrix.rows * matrix.width, 0.0);
  if (!table->FindColumn(transform.label().column)) {
    return Status::InvalidArgument("no label column '" + transform.label().column + "'");
  }
  RETURN_IF_ERROR(EncodeLabels(transform, table, &matrix));
  const std::vector<FeatureColumn>& inputs = transform.input_columns();
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::optional<size_t> j = table->FindColumn(inputs[i].name);
    if (!j) return Status::InvalidArgument("no column '" + inputs[i].name + "' to transform");
    const bool numeric = inputs[i].kind == FeatureKind::kNumeric;
    if (numeric) RETURN_IF_ERROR(table->ConvertToNumeric(*j));
    if (!numeric && table->column(*j).kind != ColumnKind::kText) {
      return Status::Internal("one-hot column '" + inputs[i].name + "' is not text");
    }
    RETURN_IF_ERROR(ApplyColumn(transform, i, *table, *j, &matrix));
  }
  return matrix;
}

}  // namespace grove::data
