#include "ml/xgboost_dmatrix.h"

#include <limits>
#include <string>
#include <utility>

#include "ml/xgboost_error.h"

namespace grove::ml {

XgboostDMatrix::~XgboostDMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

XgboostDMatrix::XgboostDMatrix(XgboostDMatrix&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

XgboostDMatrix& XgboostDMatrix::operator=(XgboostDMatrix&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

Result<XgboostDMatrix> XgboostDMatrix::FromDense(std::span<const float> features, size_t rows, size_t cols) {
  if (features.size() != rows * cols) {
    return Status::InvalidArgument(std::to_string(features.size()) + " values for " + std::to_string(rows) + " x " +
                                   std::to_string(cols));
  }
  DMatrixHandle raw = nullptr;
  RETURN_IF_ERROR(
      XgbStatus(XGDMatrixCreateFromMat(features.data(), rows, cols, std::numeric_limits<float>::quiet_NaN(), &raw),
                "XGDMatrixCreateFromMat"));
  return XgboostDMatrix(raw);
}

Result<XgboostDMatrix> XgboostDMatrix::FromMatrix(const LabeledMatrix& data, std::span<const float> weights) {
  if (data.rows == 0 || data.cols == 0) {
    return Status::InvalidArgument("a data set needs at least one row and one feature column, got " +
                                   std::to_string(data.rows) + " rows and " + std::to_string(data.cols) +
                                   " feature columns");
  }
  if (!weights.empty() && weights.size() != data.rows) {
    return Status::InvalidArgument("got " + std::to_string(weights.size()) + " weights for " +
                                   std::to_string(data.rows) + " rows");
  }
  ASSIGN_OR_RETURN(XgboostDMatrix matrix, FromDense(data.features, data.rows, data.cols));
  DMatrixHandle raw = matrix.handle();
  RETURN_IF_ERROR(
      XgbStatus(XGDMatrixSetFloatInfo(raw, "label", data.labels.data(), data.rows), "XGDMatrixSetFloatInfo(label)"));
  if (!weights.empty()) {
    RETURN_IF_ERROR(XgbStatus(XGDMatrixSetFloatInfo(raw, "weight", weights.data(), weights.size()),
                              "XGDMatrixSetFloatInfo(weight)"));
  }
  return matrix;
}

}  // namespace grove::ml
