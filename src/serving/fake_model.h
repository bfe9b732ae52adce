#pragma once

// A stand-in model for tests of the model cache and loader pool (header-only,
// test-only): no training, no files.
#include <memory>
#include <string>

#include "serving/deployed_model.h"

namespace grove::serving::testing {

// A one-feature model that answers its own size, standing in for a real one.
class FakePredictor final : public Predictor {
 public:
  explicit FakePredictor(size_t bytes) : bytes_(bytes) {}
  size_t num_features() const override { return 1; }
  size_t num_outputs() const override { return 1; }
  OutputKind output_kind() const override { return OutputKind::kValue; }
  const std::string& objective() const override { return objective_; }
  std::string_view implementation() const override { return "fake"; }
  size_t MemoryBytes() const override { return bytes_; }
  Status PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const override {
    RETURN_IF_ERROR(CheckShape(features, rows, out));
    for (size_t r = 0; r < rows; ++r) out[r] = static_cast<float>(bytes_);
    return Status::OK();
  }
  using Predictor::PredictRows;

 private:
  size_t bytes_;
  std::string objective_ = "reg:squarederror";
};

// A "group/N" model of FakePredictor(bytes).
inline std::shared_ptr<const DeployedModel> FakeModel(const std::string& key, size_t bytes = 1000) {
  DeployedModelInfo info;
  info.group = key.substr(0, key.find('/'));
  info.version = std::stoi(key.substr(key.find('/') + 1));
  return std::make_shared<DeployedModel>(info, std::make_unique<FakePredictor>(bytes), nullptr);
}

}  // namespace grove::serving::testing
