#include "serving/compiled_predictor.h"

namespace grove::serving {

Result<std::unique_ptr<Predictor>> CompiledPredictor::Load(std::string_view model_bytes) {
  ASSIGN_OR_RETURN(TreeEnsemble ensemble, TreeEnsemble::FromBytes(model_bytes));
  return std::unique_ptr<Predictor>(std::make_unique<CompiledPredictor>(std::move(ensemble)));
}

Status CompiledPredictor::PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const {
  RETURN_IF_ERROR(CheckShape(features, rows, out));
  size_t cols = ensemble_.num_features(), k = ensemble_.num_outputs();
  for (size_t r = 0; r < rows; ++r) ensemble_.PredictRow(features.subspan(r * cols, cols), out.subspan(r * k, k));
  return Status::OK();
}

}  // namespace grove::serving
