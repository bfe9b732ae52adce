#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/fitted_transform.h"
#include "serving/predictions.h"
#include "serving/predictor.h"
#include "store/artifact_store.h"
#include "store/records.h"

namespace grove::serving {

// The kind of question a model answers, from its objective.
enum class ModelKind { kRegression, kBinary, kMulticlass };
ModelKind ModelKindOf(OutputKind output);
const char* ModelKindName(ModelKind kind);

// What a request asks for. kDefault: values for regression, P(1) for binary,
// class probabilities for multi-class. kLabel: 0/1 for binary (P >= 0.5, or
// margin > 0), the class index for multi-class; regression has no labels.
enum class OutputRequest { kDefault, kProbability, kLabel };

// Which model version this is and where it came from.
struct DeployedModelInfo {
  std::string group;
  int version = 0;
  std::string model_digest;
  std::string transform_digest;  // Empty without a fitted transform.

  // "group/version", the model cache's key.
  std::string Key() const { return store::VersionRef(group, version); }
};

// One loaded model version: its predictor, the fitted transform of its
// pipeline (raw rows -> features) when it has one, and its identity.
// Immutable and shared between threads (requests hold a shared_ptr, so a
// model swapped out or evicted stays alive until they finish).
class DeployedModel {
 public:
  // `transform` may be null (none); versions with the same transform digest share one.
  DeployedModel(DeployedModelInfo info, std::unique_ptr<Predictor> predictor,
                std::shared_ptr<const data::FittedTransform> transform);

  const DeployedModelInfo& info() const { return info_; }
  const Predictor& predictor() const { return *predictor_; }
  // Null when the version was registered without a transform.
  const data::FittedTransform* transform() const { return transform_.get(); }
  ModelKind kind() const { return kind_; }
  size_t num_features() const { return predictor_->num_features(); }
  // Raw columns a raw row has (without dropped columns), or 0 without a transform.
  size_t num_raw_columns() const { return transform_ ? transform_->input_columns().size() : 0; }
  // Estimated bytes held (predictor and transform), for cache budgets.
  size_t MemoryBytes() const;

  // Predicts dense feature rows (row-major, `cols` per row). A wrong width is
  // kInvalidArgument naming the expected and received counts.
  Result<Predictions> PredictFeatures(std::span<const float> features, size_t rows, size_t cols,
                                      OutputRequest output = OutputRequest::kDefault) const;
  // Applies the fitted transform to raw rows (`cols` text cells each, the
  // training file's columns without the label, dropped columns optional), then
  // predicts. kFailedPrecondition without a transform; bad cells are
  // kInvalidArgument naming the row (1-based) and column.
  Result<Predictions> PredictRaw(std::span<const std::string> cells, size_t rows, size_t cols,
                                 OutputRequest output = OutputRequest::kDefault) const;

 private:
  Result<Predictions> Finish(std::vector<float> outputs, size_t rows, OutputRequest output) const;

  DeployedModelInfo info_;
  std::unique_ptr<Predictor> predictor_;
  std::shared_ptr<const data::FittedTransform> transform_;
  ModelKind kind_;
};

// Where LoadModelPredictor's predictor came from.
enum class PredictorSource {
  kMapped,    // The model's compiled file, mapped (compiled_model_file.h).
  kCompiled,  // The model's bytes, compiled; its compiled file was (re)written.
  kOther,     // The model's bytes: libxgboost or another family, or no compiled files kept.
};

struct LoadedPredictor {
  std::unique_ptr<Predictor> predictor;
  PredictorSource source = PredictorSource::kOther;
};

// The predictor of the model artifact `digest`. When the store keeps derived
// files and `choice` allows the compiled walker, a valid compiled file is
// mapped; a missing, stale or corrupt one is rebuilt from the model's bytes
// and written atomically (a failed write only costs the next load a compile).
Result<LoadedPredictor> LoadModelPredictor(store::ArtifactStore& artifacts, const std::string& digest,
                                           PredictorChoice choice = PredictorChoice::kAuto);

// Loads a registered version: the model artifact through LoadModelPredictor
// (the compiled walker when possible, mapped from its compiled file) and,
// when metadata["transform"] names one, the fitted transform artifact (parsed
// once per digest while any loaded version uses it: artifacts are immutable).
// A missing artifact is kNotFound; a transform whose
// feature count differs from the model's is kFailedPrecondition. Errors start
// with "group/version: ".
// What LoadDeployedModel needs of a version's record.
DeployedModelInfo InfoOf(const store::ModelVersionRecord& version);
// The same from what InfoOf kept (EndpointService keeps it per Approved
// version, so a cold load reads nothing from the registry).
Result<std::shared_ptr<const DeployedModel>> LoadDeployedModel(store::ArtifactStore& artifacts, DeployedModelInfo info,
                                                               PredictorChoice choice = PredictorChoice::kAuto);
Result<std::shared_ptr<const DeployedModel>> LoadDeployedModel(store::ArtifactStore& artifacts,
                                                               const store::ModelVersionRecord& version,
                                                               PredictorChoice choice = PredictorChoice::kAuto);

}  // namespace grove::serving
