#include "ml/dataset.h"

#include <cmath>

namespace grove::ml {

std::string_view TaskKindName(TaskKind task) {
  return task == TaskKind::kRegression ? "regression" : "binary_classification";
}

Result<TaskKind> ParseTaskKind(std::string_view name) {
  if (name == "binary_classification") return TaskKind::kBinaryClassification;
  if (name == "regression") return TaskKind::kRegression;
  return Status::InvalidArgument("unknown task kind \"" + std::string(name) +
                                 "\"; valid: binary_classification, regression");
}

Dataset Dataset::Subset(std::span<const size_t> indices) const {
  Dataset out;
  out.rows = indices.size();
  out.cols = cols;
  out.features.reserve(out.rows * cols);
  out.labels.reserve(out.rows);
  for (size_t i : indices) {
    out.features.insert(out.features.end(), Row(i), Row(i) + cols);
    out.labels.push_back(labels[i]);
  }
  return out;
}

Result<Dataset> Dataset::ReadLabelFirstCsv(const std::filesystem::path& path, std::string_view name) {
  ASSIGN_OR_RETURN(LabeledMatrix m, ml::ReadLabelFirstCsv(path, name));
  return FromLabeledMatrix(m);
}

Dataset Dataset::FromLabeledMatrix(const LabeledMatrix& m) {
  Dataset out;
  out.rows = m.rows;
  out.cols = m.cols;
  out.features.assign(m.features.begin(), m.features.end());
  out.labels.assign(m.labels.begin(), m.labels.end());
  return out;
}

Dataset Dataset::FromLabelFirstRows(const std::vector<std::vector<double>>& rows) {
  Dataset out;
  out.rows = rows.size();
  out.cols = rows.empty() ? 0 : rows.front().size() - 1;
  for (const std::vector<double>& row : rows) {
    out.labels.push_back(row.front());
    out.features.insert(out.features.end(), row.begin() + 1, row.end());
  }
  return out;
}

Status CheckFeatureShape(const Features& x, size_t expected_cols, std::string_view who) {
  std::string prefix = std::string(who) + ": ";
  if (x.cols != expected_cols) {
    return Status::InvalidArgument(prefix + "expected " + std::to_string(expected_cols) +
                                   " feature columns as in training, got " + std::to_string(x.cols));
  }
  if (x.values.size() != x.rows * x.cols) {
    return Status::InvalidArgument(prefix + "feature storage holds " + std::to_string(x.values.size()) +
                                   " values, expected rows * cols = " + std::to_string(x.rows * x.cols));
  }
  return Status::OK();
}

Status CheckFiniteFeatures(const Features& x, std::string_view who) {
  for (size_t i = 0; i < x.values.size(); ++i) {
    if (!std::isfinite(x.values[i])) {
      return Status::InvalidArgument(std::string(who) + ": row " + std::to_string(i / x.cols + 1) + ", column " +
                                     std::to_string(i % x.cols + 1) +
                                     " is missing or infinite; this model needs complete data (impute first)");
    }
  }
  return Status::OK();
}

Status CheckTrainingData(const Dataset& data, TaskKind task, std::string_view who) {
  std::string prefix = std::string(who) + ": ";
  if (data.rows == 0 || data.cols == 0) return Status::InvalidArgument(prefix + "no training rows or no features");
  if (data.labels.size() != data.rows || data.features.size() != data.rows * data.cols) {
    return Status::InvalidArgument(prefix + "inconsistent data set sizes");
  }
  size_t positives = 0;
  for (size_t r = 0; r < data.rows; ++r) {
    double y = data.labels[r];
    if (!std::isfinite(y)) return Status::InvalidArgument(prefix + "label of row " + std::to_string(r + 1) + " is not finite");
    if (task == TaskKind::kBinaryClassification) {
      if (y != 0 && y != 1) {
        return Status::InvalidArgument(prefix + "label of row " + std::to_string(r + 1) +
                                       " must be 0 or 1 for binary classification");
      }
      positives += y == 1;
    }
  }
  if (task == TaskKind::kBinaryClassification && (positives == 0 || positives == data.rows)) {
    return Status::InvalidArgument(prefix + "training labels hold only one class; both 0 and 1 are needed");
  }
  return Status::OK();
}

}  // namespace grove::ml
