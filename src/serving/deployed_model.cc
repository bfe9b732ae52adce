#include "serving/deployed_model.h"

#include <cmath>
#include <exception>
#include <mutex>
#include <unordered_map>

#include "common/file_util.h"
#include "serving/compiled_model_file.h"
#include "serving/compiled_predictor.h"

namespace grove::serving {

ModelKind ModelKindOf(OutputKind output) {
  switch (output) {
    case OutputKind::kValue: return ModelKind::kRegression;
    case OutputKind::kProbability:
    case OutputKind::kMargin: return ModelKind::kBinary;
    case OutputKind::kClassProbabilities:
    case OutputKind::kClassIndex: return ModelKind::kMulticlass;
  }
  return ModelKind::kRegression;
}

const char* ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kRegression: return "regression";
    case ModelKind::kBinary: return "binary";
    case ModelKind::kMulticlass: return "multiclass";
  }
  return "regression";
}

DeployedModel::DeployedModel(DeployedModelInfo info, std::unique_ptr<Predictor> predictor,
                             std::shared_ptr<const data::FittedTransform> transform)
    : info_(std::move(info)), predictor_(std::move(predictor)), transform_(std::move(transform)) {
  kind_ = ModelKindOf(predictor_->output_kind());
  // binary:hinge gives 0/1 classes with one output: a binary model.
  if (predictor_->output_kind() == OutputKind::kClassIndex && predictor_->objective().rfind("binary:", 0) == 0) {
    kind_ = ModelKind::kBinary;
  }
}

size_t DeployedModel::MemoryBytes() const {
  size_t bytes = sizeof(*this) + predictor_->MemoryBytes();
  if (transform_) {
    // Names and categories dominate; a rough but stable estimate.
    for (const auto& c : transform_->input_columns()) bytes += sizeof(c) + c.name.size() + 48 * c.categories.size();
    bytes += 48 * transform_->num_features();
  }
  return bytes;
}

Result<Predictions> DeployedModel::PredictFeatures(std::span<const float> features, size_t rows, size_t cols,
                                                   OutputRequest output) const {
  if (cols != num_features() && rows > 0) {
    return Status::InvalidArgument("row 1: expected " + std::to_string(num_features()) + " features, got " +
                                   std::to_string(cols));
  }
  std::vector<float> out(rows * predictor_->num_outputs());
  RETURN_IF_ERROR(predictor_->PredictRows(features, rows, out));
  return Finish(std::move(out), rows, output);
}

Result<Predictions> DeployedModel::PredictRaw(std::span<const std::string> cells, size_t rows, size_t cols,
                                              OutputRequest output) const {
  if (!transform_) {
    return Status::FailedPrecondition(info_.Key() +
                                      " has no fitted transform: send feature rows (\"input\": \"features\")");
  }
  size_t narrow = transform_->input_columns().size();
  size_t wide = narrow + transform_->dropped_columns().size();
  if (rows > 0 && cols != narrow && cols != wide) {
    std::string expected = std::to_string(narrow) + " raw columns";
    if (wide != narrow) expected += " (or " + std::to_string(wide) + " with the dropped ones)";
    return Status::InvalidArgument("row 1: expected " + expected + ", got " + std::to_string(cols));
  }
  size_t n = num_features();
  std::vector<float> features(rows * n);
  std::vector<std::string_view> views(cols);
  std::vector<double> row(n);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) views[c] = cells[r * cols + c];
    Status s = transform_->ApplyToRow(views, row);
    if (!s.ok()) return Status::InvalidArgument("row " + std::to_string(r + 1) + ": " + s.message());
    for (size_t j = 0; j < n; ++j) features[r * n + j] = static_cast<float>(row[j]);
  }
  std::vector<float> out(rows * predictor_->num_outputs());
  RETURN_IF_ERROR(predictor_->PredictRows(features, rows, out));
  return Finish(std::move(out), rows, output);
}

Result<Predictions> DeployedModel::Finish(std::vector<float> outputs, size_t rows, OutputRequest output) const {
  Predictions p;
  p.rows = rows;
  OutputKind kind = predictor_->output_kind();
  size_t k = predictor_->num_outputs();
  if (output == OutputRequest::kLabel && kind_ == ModelKind::kRegression) {
    return Status::InvalidArgument("output 'label' needs a classification model; " + info_.Key() +
                                   " is a regression model");
  }
  if (kind == OutputKind::kClassIndex && output == OutputRequest::kProbability) {
    return Status::InvalidArgument(info_.Key() + " (" + predictor_->objective() +
                                   ") predicts classes only; ask for output 'label'");
  }
  p.labels = kind == OutputKind::kClassIndex || output == OutputRequest::kLabel;
  if (kind == OutputKind::kClassProbabilities && output == OutputRequest::kLabel) {
    for (size_t r = 0; r < rows; ++r) {
      size_t best = 0;
      for (size_t j = 1; j < k; ++j) best = outputs[r * k + j] > outputs[r * k + best] ? j : best;
      p.values.push_back(static_cast<double>(best));
    }
    return p;
  }
  p.per_row = k;
  p.arrays = kind == OutputKind::kClassProbabilities;
  p.values.reserve(outputs.size());
  for (float v : outputs) {
    double x = v;
    if (kind == OutputKind::kMargin && output == OutputRequest::kProbability) x = 1.0 / (1.0 + std::exp(-x));
    if (output == OutputRequest::kLabel && kind == OutputKind::kProbability) x = x > 0.5 ? 1 : 0;
    if (output == OutputRequest::kLabel && kind == OutputKind::kMargin) x = x > 0 ? 1 : 0;
    p.values.push_back(x);
  }
  return p;
}

namespace {

Result<std::string> ReadArtifact(store::ArtifactStore& artifacts, const std::string& digest, const char* what) {
  Result<std::filesystem::path> path = artifacts.LocalPath(digest);
  if (!path.ok()) return Status::NotFound(std::string(what) + " artifact " + digest + " is not in the artifact store");
  return ReadFile(*path);
}

using Transform = std::shared_ptr<const data::FittedTransform>;

Result<Transform> ParseTransform(store::ArtifactStore& artifacts, const std::string& digest) {
  ASSIGN_OR_RETURN(std::string text, ReadArtifact(artifacts, digest, "transform"));
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument("transform artifact " + digest + " is not JSON");
  Result<data::FittedTransform> transform = data::FittedTransform::FromJson(json);
  if (!transform.ok()) return transform.status().WithContext("transform artifact " + digest);
  return Transform(std::make_shared<const data::FittedTransform>(*std::move(transform)));
}

// The transform artifact `digest`, parsed once while any loaded model holds
// it (a JSON parse is most of a mapped model's cold load). Artifacts are
// immutable, so sharing by digest is safe; two first loads may both parse.
Result<Transform> LoadTransform(store::ArtifactStore& artifacts, const std::string& digest) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::weak_ptr<const data::FittedTransform>> parsed;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = parsed.find(digest);
    if (it != parsed.end()) {
      if (Transform shared = it->second.lock()) return shared;
      parsed.erase(it);
    }
  }
  ASSIGN_OR_RETURN(Transform transform, ParseTransform(artifacts, digest));
  std::lock_guard<std::mutex> lock(mutex);
  parsed[digest] = transform;
  return transform;
}

}  // namespace

Result<LoadedPredictor> LoadModelPredictor(store::ArtifactStore& artifacts, const std::string& digest,
                                           PredictorChoice choice) {
  std::filesystem::path folder = artifacts.DerivedFolder();
  bool compiled_files = !folder.empty() && choice != PredictorChoice::kLibxgboost && digest.size() == 64;
  std::filesystem::path path = compiled_files ? CompiledModelPath(folder, digest) : std::filesystem::path();
  if (compiled_files) {
    // Not found, stale or corrupt: all rebuilt below from the model's bytes.
    Result<TreeEnsemble> mapped = CompiledModelFile::Map(path, digest);
    if (mapped.ok()) {
      return LoadedPredictor{std::make_unique<CompiledPredictor>(*std::move(mapped)), PredictorSource::kMapped};
    }
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadArtifact(artifacts, digest, "model"));
  ASSIGN_OR_RETURN(std::unique_ptr<Predictor> predictor, LoadPredictor(bytes, choice));
  const auto* compiled = dynamic_cast<const CompiledPredictor*>(predictor.get());
  if (!compiled_files || compiled == nullptr) return LoadedPredictor{std::move(predictor), PredictorSource::kOther};
  // Best effort: a read-only or full disk still serves, compiling each time.
  (void)WriteFileAtomic(path, CompiledModelFile::Serialize(compiled->ensemble(), digest));
  return LoadedPredictor{std::move(predictor), PredictorSource::kCompiled};
}

DeployedModelInfo InfoOf(const store::ModelVersionRecord& version) {
  DeployedModelInfo info{version.group, version.version, version.model_digest, ""};
  const Json& digest = version.metadata.is_object() && version.metadata.contains("transform")
                           ? version.metadata["transform"]
                           : Json();
  if (digest.is_string()) info.transform_digest = digest.get<std::string>();
  return info;
}

Result<std::shared_ptr<const DeployedModel>> LoadDeployedModel(store::ArtifactStore& artifacts,
                                                               const store::ModelVersionRecord& version,
                                                               PredictorChoice choice) {
  return LoadDeployedModel(artifacts, InfoOf(version), choice);
}

Result<std::shared_ptr<const DeployedModel>> LoadDeployedModel(store::ArtifactStore& artifacts, DeployedModelInfo info,
                                                               PredictorChoice choice) {
  std::string key = info.Key();
  Result<LoadedPredictor> loaded = LoadModelPredictor(artifacts, info.model_digest, choice);
  if (!loaded.ok()) return loaded.status().WithContext(key);
  std::unique_ptr<Predictor>& predictor = loaded->predictor;
  Transform transform;
  if (!info.transform_digest.empty()) {
    Result<Transform> t = LoadTransform(artifacts, info.transform_digest);
    if (!t.ok()) return t.status().WithContext(key);
    if ((*t)->num_features() != predictor->num_features()) {
      return Status::FailedPrecondition(key + ": the transform gives " + std::to_string((*t)->num_features()) +
                                        " features but the model expects " +
                                        std::to_string(predictor->num_features()));
    }
    transform = *std::move(t);
  }
  return std::shared_ptr<const DeployedModel>(
      std::make_shared<DeployedModel>(std::move(info), std::move(predictor), std::move(transform)));
}

}  // namespace grove::serving
