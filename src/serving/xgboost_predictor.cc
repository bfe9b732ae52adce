#include "serving/xgboost_predictor.h"

#include <algorithm>
#include <exception>

namespace grove::serving {
namespace {

// num_class from the learner configuration ("0" for non-multi-class models).
size_t NumClass(const Json& config) {
  try {
    const Json& v = config.at("learner").at("learner_model_param").at("num_class");
    return v.is_string() ? std::stoul(v.get<std::string>()) : v.get<size_t>();
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

Result<std::unique_ptr<Predictor>> XgboostPredictor::Load(std::string_view model_bytes) {
  Result<ml::XgboostBooster> booster = ml::XgboostBooster::LoadFromBuffer(model_bytes);
  if (!booster.ok()) return Status::InvalidArgument(booster.status().message());
  std::unique_ptr<XgboostPredictor> p(new XgboostPredictor(std::move(booster).value()));
  // One request's rows gain nothing from OpenMP, whose spinning threads cost
  // 10-100x per call when the server's threads already fill the cores.
  RETURN_IF_ERROR(p->booster_.SetParam("nthread", "1"));
  ASSIGN_OR_RETURN(p->num_features_, p->booster_.NumFeatures());
  ASSIGN_OR_RETURN(p->objective_, p->booster_.Objective());
  ASSIGN_OR_RETURN(Json config, p->booster_.Config());
  if (p->objective_ == "multi:softprob") p->num_outputs_ = std::max<size_t>(1, NumClass(config));
  p->memory_bytes_ = model_bytes.size();
  return std::unique_ptr<Predictor>(std::move(p));
}

Status XgboostPredictor::PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const {
  RETURN_IF_ERROR(CheckShape(features, rows, out));
  if (rows == 0) return Status::OK();
  ASSIGN_OR_RETURN(std::vector<float> values, booster_.Predict(features, rows, num_features_));
  if (values.size() != rows * num_outputs_) {
    return Status::Internal("libxgboost returned " + std::to_string(values.size()) + " values for " +
                            std::to_string(rows) + " rows of " + std::to_string(num_outputs_) + " outputs");
  }
  std::copy(values.begin(), values.end(), out.begin());
  return Status::OK();
}

}  // namespace grove::serving
