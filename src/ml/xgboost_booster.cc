#include "ml/xgboost_booster.h"

#include <cstdio>
#include <utility>

#include "common/file_util.h"
#include "ml/xgboost_error.h"

namespace grove::ml {

XgboostBooster::~XgboostBooster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

XgboostBooster::XgboostBooster(XgboostBooster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), dmatrix_predict_mutex_(std::move(other.dmatrix_predict_mutex_)) {}

XgboostBooster& XgboostBooster::operator=(XgboostBooster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    std::swap(dmatrix_predict_mutex_, other.dmatrix_predict_mutex_);
  }
  return *this;
}

Result<XgboostBooster> XgboostBooster::Create(std::span<const XgboostDMatrix* const> cache) {
  std::vector<DMatrixHandle> handles;
  handles.reserve(cache.size());
  for (const XgboostDMatrix* m : cache) handles.push_back(m->handle());
  BoosterHandle raw = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterCreate(handles.data(), handles.size(), &raw), "XGBoosterCreate"));
  return XgboostBooster(raw);
}

// A new booster filled by `load` (XGBoosterLoadModelFromBuffer or XGBoosterUnserializeFromBuffer).
Result<XgboostBooster> XgboostBooster::LoadWith(int (*load)(BoosterHandle, const void*, bst_ulong),
                                               std::string_view bytes, const std::string& what) {
  if (bytes.empty()) return Status::InvalidArgument("the model is empty");
  BoosterHandle raw = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterCreate(nullptr, 0, &raw), "XGBoosterCreate"));
  XgboostBooster booster(raw);
  Status loaded = XgbStatus(load(raw, bytes.data(), bytes.size()), "loading the model");
  if (!loaded.ok()) return Status::InvalidArgument("not " + what + ": " + loaded.message());
  return booster;
}

Result<XgboostBooster> XgboostBooster::LoadFromBuffer(std::string_view bytes) {
  return LoadWith(XGBoosterLoadModelFromBuffer, bytes, "an XGBoost model");
}

Result<XgboostBooster> XgboostBooster::LoadFromFile(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  Result<XgboostBooster> booster = LoadFromBuffer(bytes);
  if (!booster.ok()) return booster.status().WithContext(path.string());
  return booster;
}

Result<XgboostBooster> XgboostBooster::Unserialize(std::string_view bytes) {
  return LoadWith(XGBoosterUnserializeFromBuffer, bytes, "a serialised XGBoost model");
}

Status XgboostBooster::SetParam(const std::string& name, const std::string& value) {
  return XgbStatus(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), "XGBoosterSetParam(" + name + ")");
}

Status XgboostBooster::SetAttr(const std::string& name, const std::string& value) {
  return XgbStatus(XGBoosterSetAttr(handle_, name.c_str(), value.c_str()), "XGBoosterSetAttr(" + name + ")");
}

Result<std::optional<std::string>> XgboostBooster::GetAttr(const std::string& name) const {
  const char* out = nullptr;
  int success = 0;
  RETURN_IF_ERROR(XgbStatus(XGBoosterGetAttr(handle_, name.c_str(), &out, &success), "XGBoosterGetAttr"));
  if (success == 0 || out == nullptr) return std::optional<std::string>();
  return std::optional<std::string>(out);
}

Status XgboostBooster::UpdateOneIter(int iteration, const XgboostDMatrix& train) {
  return XgbStatus(XGBoosterUpdateOneIter(handle_, iteration, train.handle()), "XGBoosterUpdateOneIter");
}

Result<std::string> XgboostBooster::EvalOneIter(int iteration, std::span<const XgboostDMatrix* const> sets,
                                                std::span<const std::string> names) {
  if (sets.size() != names.size()) return Status::Internal("EvalOneIter: sets and names differ in length");
  std::vector<DMatrixHandle> handles;
  std::vector<const char*> c_names;
  for (size_t i = 0; i < sets.size(); ++i) {
    handles.push_back(sets[i]->handle());
    c_names.push_back(names[i].c_str());
  }
  const char* out = nullptr;
  RETURN_IF_ERROR(
      XgbStatus(XGBoosterEvalOneIter(handle_, iteration, handles.data(), c_names.data(), handles.size(), &out),
                "XGBoosterEvalOneIter"));
  return std::string(out == nullptr ? "" : out);
}

Result<int> XgboostBooster::BoostedRounds() const {
  int rounds = 0;
  RETURN_IF_ERROR(XgbStatus(XGBoosterBoostedRounds(handle_, &rounds), "XGBoosterBoostedRounds"));
  return rounds;
}

Result<size_t> XgboostBooster::NumFeatures() const {
  bst_ulong n = 0;
  RETURN_IF_ERROR(XgbStatus(XGBoosterGetNumFeature(handle_, &n), "XGBoosterGetNumFeature"));
  return static_cast<size_t>(n);
}

Result<XgboostBooster> XgboostBooster::Slice(int begin, int end) const {
  BoosterHandle raw = nullptr;
  int rc = XGBoosterSlice(handle_, begin, end, 1, &raw);
  if (rc == -2)
    return Status::InvalidArgument("rounds [" + std::to_string(begin) + ", " + std::to_string(end) +
                                   ") are out of range");
  Status status = XgbStatus(rc, "XGBoosterSlice");
  if (!status.ok()) return Status::FailedPrecondition(status.message());
  return XgboostBooster(raw);
}

Result<Json> XgboostBooster::Config() const {
  bst_ulong len = 0;
  const char* out = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterSaveJsonConfig(handle_, &len, &out), "XGBoosterSaveJsonConfig"));
  Json config = Json::parse(out, out + len, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return Status::Internal("XGBoosterSaveJsonConfig returned invalid JSON");
  return config;
}

Result<std::string> XgboostBooster::Objective() const {
  ASSIGN_OR_RETURN(Json config, Config());
  const Json* name = &config;
  for (const char* key : {"learner", "objective", "name"}) {
    if (!name->is_object() || !name->contains(key)) return Status::Internal("the model configuration has no objective");
    name = &(*name)[key];
  }
  if (!name->is_string()) return Status::Internal("the model configuration has no objective");
  return name->get<std::string>();
}

Result<std::string> XgboostBooster::Save(Format format) const {
  const char* config = format == Format::kJson ? R"({"format":"json"})" : R"({"format":"ubj"})";
  bst_ulong len = 0;
  const char* out = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterSaveModelToBuffer(handle_, config, &len, &out), "XGBoosterSaveModelToBuffer"));
  return std::string(out, len);  // `out` is thread-local scratch: copy before the next call.
}

Status XgboostBooster::SaveToFile(const std::filesystem::path& path) const {
  ASSIGN_OR_RETURN(std::string bytes, Save(Format::kJson));
  return WriteFile(path, bytes);
}

Result<std::string> XgboostBooster::Serialize() const {
  bst_ulong len = 0;
  const char* out = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterSerializeToBuffer(handle_, &len, &out), "XGBoosterSerializeToBuffer"));
  return std::string(out, len);
}

namespace {

// Prediction settings; 1.7.4's in-place prediction rejects a config without "cache_id".
// clang-format off
const char* PredictConfig(bool output_margin, bool in_place) {
  if (in_place) {
    return output_margin
        ? R"({"type":1,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,)"
          R"("missing":NaN,"cache_id":0})"
        : R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,)"
          R"("missing":NaN,"cache_id":0})";
  }
  return output_margin ? R"({"type":1,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false})"
                       : R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false})";
}
// clang-format on

std::vector<float> CopyPredictions(const bst_ulong* shape, bst_ulong dim, const float* out) {
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= static_cast<size_t>(shape[i]);
  return std::vector<float>(out, out + n);  // `out` is thread-local scratch: copy before the next call.
}

}  // namespace

Result<std::vector<float>> XgboostBooster::Predict(std::span<const float> features, size_t rows, size_t cols,
                                                   bool output_margin) const {
  if (features.size() != rows * cols) {
    return Status::InvalidArgument("Predict: " + std::to_string(features.size()) + " values for " +
                                   std::to_string(rows) + " x " + std::to_string(cols));
  }
  if (handle_ == nullptr) return Status::FailedPrecondition("Predict on an empty (moved-from) booster");
  if (rows == 0) return std::vector<float>();
  char array[160];
  std::snprintf(array, sizeof(array), R"({"data":[%llu,true],"shape":[%zu,%zu],"typestr":"<f4","version":3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(features.data())), rows, cols);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  Status in_place = XgbStatus(
      XGBoosterPredictFromDense(handle_, array, PredictConfig(output_margin, true), nullptr, &shape, &dim, &out),
      "XGBoosterPredictFromDense");
  if (in_place.ok()) return CopyPredictions(shape, dim, out);
  // gblinear has no in-place prediction; every other failure is a real one.
  std::lock_guard<std::mutex> lock(*dmatrix_predict_mutex_);
  Result<Json> config = Config();
  if (!config.ok() || config->value("/learner/gradient_booster/name"_json_pointer, "") != "gblinear") return in_place;
  return PredictThroughDMatrix(features, rows, cols, output_margin);
}

Result<std::vector<float>> XgboostBooster::PredictThroughDMatrix(std::span<const float> features, size_t rows,
                                                                 size_t cols, bool output_margin) const {
  ASSIGN_OR_RETURN(size_t expected_cols, NumFeatures());
  if (cols != expected_cols) {
    return Status::InvalidArgument("the model expects " + std::to_string(expected_cols) + " features, got " +
                                   std::to_string(cols));
  }
  ASSIGN_OR_RETURN(XgboostDMatrix matrix, XgboostDMatrix::FromDense(features, rows, cols));
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  RETURN_IF_ERROR(XgbStatus(
      XGBoosterPredictFromDMatrix(handle_, matrix.handle(), PredictConfig(output_margin, false), &shape, &dim, &out),
      "XGBoosterPredictFromDMatrix"));
  return CopyPredictions(shape, dim, out);
}

Result<std::vector<std::pair<std::string, double>>> XgboostBooster::FeatureScores(const std::string& type) const {
  const std::string config = Json{{"importance_type", type}}.dump();
  bst_ulong n = 0;
  const char** names = nullptr;
  bst_ulong dim = 0;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  RETURN_IF_ERROR(XgbStatus(XGBoosterFeatureScore(handle_, config.c_str(), &n, &names, &dim, &shape, &scores),
                            "XGBoosterFeatureScore(" + type + ")"));
  std::vector<std::pair<std::string, double>> out;
  for (bst_ulong i = 0; i < n; ++i) out.emplace_back(names[i], scores[i]);
  return out;
}

}  // namespace grove::ml
