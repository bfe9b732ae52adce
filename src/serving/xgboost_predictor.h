#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ml/xgboost_booster.h"
#include "serving/predictor.h"

namespace grove::serving {

// The fallback Predictor: libxgboost's own prediction (about 28 us of fixed
// cost per call), for models the compiler does not handle (gblinear, ...).
class XgboostPredictor final : public Predictor {
 public:
  // Loads the bytes into a booster and reads its shape from the configuration.
  // Errors are kInvalidArgument with libxgboost's message.
  static Result<std::unique_ptr<Predictor>> Load(std::string_view model_bytes);

  size_t num_features() const override { return num_features_; }
  size_t num_outputs() const override { return num_outputs_; }
  OutputKind output_kind() const override { return OutputKindOf(objective_); }
  const std::string& objective() const override { return objective_; }
  std::string_view implementation() const override { return "libxgboost"; }
  // The serialized model's size: the booster's heap is not observable.
  size_t MemoryBytes() const override { return sizeof(*this) + memory_bytes_; }
  Status PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const override;
  using Predictor::PredictRows;

 private:
  explicit XgboostPredictor(ml::XgboostBooster booster) : booster_(std::move(booster)) {}

  ml::XgboostBooster booster_;
  size_t num_features_ = 0;
  size_t num_outputs_ = 1;
  size_t memory_bytes_ = 0;
  std::string objective_;
};

}  // namespace grove::serving
