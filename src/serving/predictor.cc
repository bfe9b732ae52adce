#include "serving/predictor.h"

#include "serving/compiled_predictor.h"
#include "serving/family_predictor.h"
#include "serving/xgboost_predictor.h"

namespace grove::serving {

OutputKind OutputKindOf(std::string_view objective) {
  if (objective == "binary:logistic") return OutputKind::kProbability;
  if (objective == "binary:logitraw") return OutputKind::kMargin;
  if (objective == "multi:softprob") return OutputKind::kClassProbabilities;
  if (objective == "multi:softmax" || objective == "binary:hinge") return OutputKind::kClassIndex;
  return OutputKind::kValue;
}

const char* OutputKindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kValue: return "value";
    case OutputKind::kProbability: return "probability";
    case OutputKind::kMargin: return "margin";
    case OutputKind::kClassProbabilities: return "class_probabilities";
    case OutputKind::kClassIndex: return "class_index";
  }
  return "value";
}

Result<std::vector<float>> Predictor::PredictRows(std::span<const float> features, size_t rows) const {
  std::vector<float> out(rows * num_outputs());
  RETURN_IF_ERROR(PredictRows(features, rows, out));
  return out;
}

Status Predictor::CheckShape(std::span<const float> features, size_t rows, std::span<float> out) const {
  if (features.size() != rows * num_features()) {
    return Status::InvalidArgument("expected " + std::to_string(rows) + " rows of " + std::to_string(num_features()) +
                                   " features (" + std::to_string(rows * num_features()) + " values), got " +
                                   std::to_string(features.size()) + " values");
  }
  if (out.size() < rows * num_outputs()) {
    return Status::InvalidArgument("output holds " + std::to_string(out.size()) + " values, " +
                                   std::to_string(rows * num_outputs()) + " needed");
  }
  return Status::OK();
}

Result<std::unique_ptr<Predictor>> LoadPredictor(std::string_view model_bytes, PredictorChoice choice) {
  if (IsFamilyModelDocument(model_bytes)) return FamilyPredictor::Load(model_bytes);
  Status compile_error;
  if (choice != PredictorChoice::kLibxgboost) {
    Result<std::unique_ptr<Predictor>> compiled = CompiledPredictor::Load(model_bytes);
    if (compiled.ok() || choice == PredictorChoice::kCompiled) return compiled;
    compile_error = compiled.status();
  }
  Result<std::unique_ptr<Predictor>> fallback = XgboostPredictor::Load(model_bytes);
  if (fallback.ok() || compile_error.ok()) return fallback;
  return Status::InvalidArgument("cannot load the model: " + fallback.status().message() +
                                 " (compiler: " + compile_error.message() + ")");
}

}  // namespace grove::serving
