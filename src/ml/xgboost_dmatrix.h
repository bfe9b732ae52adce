#pragma once

#include <xgboost/c_api.h>

#include <cstddef>
#include <span>

#include "common/status.h"
#include "ml/label_first_csv.h"

namespace grove::ml {

// Owns one XGBoost DMatrixHandle. Move-only; the handle is freed on destruction.
class XgboostDMatrix {
 public:
  XgboostDMatrix() = default;
  ~XgboostDMatrix();
  XgboostDMatrix(XgboostDMatrix&& other) noexcept;
  XgboostDMatrix& operator=(XgboostDMatrix&& other) noexcept;
  XgboostDMatrix(const XgboostDMatrix&) = delete;
  XgboostDMatrix& operator=(const XgboostDMatrix&) = delete;

  // Copies `data` (labels and features; NaN = missing) into a new DMatrix.
  // `weights`, when not empty, holds one instance weight per row.
  static Result<XgboostDMatrix> FromMatrix(const LabeledMatrix& data, std::span<const float> weights = {});

  // Copies `rows` x `cols` features (row-major, NaN = missing) into a DMatrix without labels.
  static Result<XgboostDMatrix> FromDense(std::span<const float> features, size_t rows, size_t cols);

  DMatrixHandle handle() const { return handle_; }

 private:
  explicit XgboostDMatrix(DMatrixHandle handle) : handle_(handle) {}
  DMatrixHandle handle_ = nullptr;
};

}  // namespace grove::ml
