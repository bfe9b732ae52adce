#include "serving/family_predictor.h"

#include <vector>

#include "ml/model_registry.h"

namespace grove::serving {

bool IsFamilyModelDocument(std::string_view bytes) {
  size_t start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || bytes[start] != '{') return false;
  return bytes.substr(start, 64).find("\"grove-model\"") != std::string_view::npos;
}

FamilyPredictor::FamilyPredictor(std::unique_ptr<ml::Model> model, size_t bytes)
    : model_(std::move(model)),
      output_kind_(model_->task() == ml::TaskKind::kRegression ? OutputKind::kValue : OutputKind::kProbability),
      objective_("family:" + std::string(model_->family())),
      bytes_(bytes) {}

Result<std::unique_ptr<Predictor>> FamilyPredictor::Load(std::string_view document) {
  ASSIGN_OR_RETURN(std::unique_ptr<ml::Model> model, ml::ModelRegistry::BuiltIn().Load(document));
  // The loaded state is about as large as its document.
  size_t bytes = sizeof(FamilyPredictor) + document.size();
  return std::unique_ptr<Predictor>(new FamilyPredictor(std::move(model), bytes));
}

Status FamilyPredictor::PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const {
  RETURN_IF_ERROR(CheckShape(features, rows, out));
  std::vector<double> values(features.begin(), features.end());
  ml::Features x{values, rows, num_features()};
  Result<std::vector<double>> predicted =
      output_kind_ == OutputKind::kValue ? model_->Predict(x) : model_->PredictProba(x);
  if (!predicted.ok()) return predicted.status();
  for (size_t i = 0; i < rows; ++i) out[i] = static_cast<float>((*predicted)[i]);
  return Status::OK();
}

}  // namespace grove::serving
