#include "ml/model.h"

namespace grove::ml {

Status Model::Fit(const Dataset& data) {
  fitted_ = false;
  cols_ = 0;
  std::string who(family());
  RETURN_IF_ERROR(CheckTrainingData(data, task_, who));
  if (!AcceptsMissingValues()) RETURN_IF_ERROR(CheckFiniteFeatures(data.View(), who));
  RETURN_IF_ERROR(FitImpl(data));
  cols_ = data.cols;
  fitted_ = true;
  return Status::OK();
}

Status Model::CheckPredictable(const Features& x) const {
  std::string who(family());
  if (!fitted_) return Status::FailedPrecondition(who + ": the model is not fitted");
  RETURN_IF_ERROR(CheckFeatureShape(x, cols_, who));
  if (!AcceptsMissingValues()) RETURN_IF_ERROR(CheckFiniteFeatures(x, who));
  return Status::OK();
}

Result<std::vector<double>> Model::Predict(const Features& x) const {
  RETURN_IF_ERROR(CheckPredictable(x));
  ASSIGN_OR_RETURN(std::vector<double> out, PredictImpl(x));
  if (task_ == TaskKind::kBinaryClassification) {
    for (double& v : out) v = v > 0.5 ? 1.0 : 0.0;
  }
  return out;
}

Result<std::vector<double>> Model::PredictProba(const Features& x) const {
  if (task_ != TaskKind::kBinaryClassification) {
    return Status::FailedPrecondition(std::string(family()) + ": a regression model has no class probabilities");
  }
  RETURN_IF_ERROR(CheckPredictable(x));
  return PredictImpl(x);
}

Result<std::string> Model::Save() const {
  if (!fitted_) return Status::FailedPrecondition(std::string(family()) + ": cannot save a model that is not fitted");
  Json doc = Json::object();
  doc["format"] = kModelFormat;
  doc["version"] = 1;
  doc["family"] = family();
  doc["task"] = TaskKindName(task_);
  doc["hyperparameters"] = hyperparameters_;
  doc["features"] = cols_;
  ASSIGN_OR_RETURN(doc["state"], SaveState());
  return doc.dump();
}

Status Model::Restore(const Json& document) {
  if (!document.is_object() || !document.contains("features") || !document.contains("state")) {
    return Status::InvalidArgument(std::string(family()) + ": model document lacks \"features\" or \"state\"");
  }
  const Json& features = document.at("features");
  if (!features.is_number_unsigned() || features.get<size_t>() == 0) {
    return Status::InvalidArgument(std::string(family()) + ": model document has no valid \"features\" count");
  }
  cols_ = features.get<size_t>();  // LoadState checks its sizes against feature_count().
  Status s = LoadState(document.at("state"));
  if (!s.ok()) {
    cols_ = 0;
    return s.WithContext(std::string(family()) + ": malformed model state");
  }
  fitted_ = true;
  return Status::OK();
}

bool IsModelDocument(std::string_view bytes) {
  size_t start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || bytes[start] != '{') return false;
  Json doc = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("format") && doc["format"] == kModelFormat;
}

ModelFileKind KindOfModelFile(std::string_view bytes) {
  if (!IsModelDocument(bytes)) return {};
  Json doc = Json::parse(bytes);
  return {doc.value("family", ""), std::string(kModelFormat), doc.value("task", "")};
}

}  // namespace grove::ml
