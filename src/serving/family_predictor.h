#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ml/model.h"
#include "serving/predictor.h"

namespace grove::serving {

// A Predictor over any ml::Model family (random forest, logistic regression,
// MLP, ...), loaded from the "grove-model" document that Model::Save writes
// (what the Tuning step registers). Classification models give P(label = 1)
// (kProbability), regression models values (kValue). The objective reads
// "family:<name>", the implementation "family".
class FamilyPredictor final : public Predictor {
 public:
  static Result<std::unique_ptr<Predictor>> Load(std::string_view document);

  size_t num_features() const override { return model_->feature_count(); }
  size_t num_outputs() const override { return 1; }
  OutputKind output_kind() const override { return output_kind_; }
  const std::string& objective() const override { return objective_; }
  std::string_view implementation() const override { return "family"; }
  size_t MemoryBytes() const override { return bytes_; }
  Status PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const override;

 private:
  FamilyPredictor(std::unique_ptr<ml::Model> model, size_t bytes);

  std::unique_ptr<ml::Model> model_;
  OutputKind output_kind_;
  std::string objective_;
  size_t bytes_;
};

// True when `bytes` look like a "grove-model" document rather than an XGBoost model.
bool IsFamilyModelDocument(std::string_view bytes);

}  // namespace grove::serving
