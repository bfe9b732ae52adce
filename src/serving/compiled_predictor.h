#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "serving/predictor.h"
#include "serving/tree_ensemble.h"

namespace grove::serving {

// A Predictor over a compiled TreeEnsemble: no allocation and no locks per row.
class CompiledPredictor final : public Predictor {
 public:
  explicit CompiledPredictor(TreeEnsemble ensemble) : ensemble_(std::move(ensemble)) {}

  // TreeEnsemble::FromBytes, wrapped; its kNotFound / kInvalidArgument pass through.
  static Result<std::unique_ptr<Predictor>> Load(std::string_view model_bytes);

  size_t num_features() const override { return ensemble_.num_features(); }
  size_t num_outputs() const override { return ensemble_.num_outputs(); }
  OutputKind output_kind() const override { return OutputKindOf(ensemble_.objective()); }
  const std::string& objective() const override { return ensemble_.objective(); }
  std::string_view implementation() const override { return "compiled"; }
  size_t MemoryBytes() const override { return sizeof(*this) + ensemble_.MemoryBytes(); }
  Status PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const override;
  using Predictor::PredictRows;

  const TreeEnsemble& ensemble() const { return ensemble_; }

 private:
  TreeEnsemble ensemble_;
};

}  // namespace grove::serving
