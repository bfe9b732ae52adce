#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"

namespace grove::ml {

class ModelRegistry;

// A tabular model of one family ("logistic_regression", ...) for one task,
// created with its hyperparameters by ModelRegistry::Create and trained by Fit.
//
// Classification models predict the probability of class 1 (PredictProba) and
// the label 1 where that probability is strictly above 0.5, else 0 (Predict), as
// metrics.h counts positives. Regression models predict values and have no
// PredictProba. Fitting again replaces the previous fit.
//
// Thread safety: Predict, PredictProba and Save may run concurrently on one
// fitted model; Fit needs exclusive access. Every family is deterministic: the
// same data and hyperparameters (including random_state) give the same model.
class Model {
 public:
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // The registry name of the family.
  virtual std::string_view family() const = 0;
  TaskKind task() const { return task_; }
  // The hyperparameters as given to the registry (saved with the model).
  const Json& hyperparameters() const { return hyperparameters_; }
  bool fitted() const { return fitted_; }
  // Feature columns seen by Fit (0 before).
  size_t feature_count() const { return cols_; }

  // Trains on `data`. kInvalidArgument for unusable data (no rows, labels not
  // 0/1 for classification, a single class, missing values where the family
  // cannot take them); the model is then unfitted.
  [[nodiscard]] Status Fit(const Dataset& data);

  // One value per row: class labels 0/1, or regression values.
  // kFailedPrecondition before Fit; kInvalidArgument for a column count unlike training's.
  Result<std::vector<double>> Predict(const Features& x) const;
  // The probability of class 1 per row; kFailedPrecondition for regression models.
  Result<std::vector<double>> PredictProba(const Features& x) const;

  // The fitted model as one JSON document: {"format": "grove-model", "version": 1,
  // "family", "task", "hyperparameters", "features", "state"}, where "state" is
  // the family's own (exact: doubles round-trip). Read back by ModelRegistry::Load.
  Result<std::string> Save() const;

 protected:
  Model(TaskKind task, Json hyperparameters) : task_(task), hyperparameters_(std::move(hyperparameters)) {}

  // The family's training; `data` has passed CheckTrainingData (and
  // CheckFiniteFeatures unless AcceptsMissingValues).
  virtual Status FitImpl(const Dataset& data) = 0;
  // Positive-class probabilities (classification) or values (regression);
  // `x` has been checked against the fitted column count.
  virtual Result<std::vector<double>> PredictImpl(const Features& x) const = 0;
  // The family's fitted state, and its inverse (kInvalidArgument for a malformed
  // state). LoadState sees feature_count() already set from the document.
  virtual Result<Json> SaveState() const = 0;
  virtual Status LoadState(const Json& state) = 0;
  // Whether NaN features are allowed (XGBoost routes them; the others need complete data).
  virtual bool AcceptsMissingValues() const { return false; }

 private:
  friend class ModelRegistry;
  // Restores a document written by Save. REQUIRES: created with its family, task and hyperparameters.
  Status Restore(const Json& document);
  Status CheckPredictable(const Features& x) const;

  TaskKind task_;
  Json hyperparameters_;
  bool fitted_ = false;
  size_t cols_ = 0;
};

// The model document's "format" value.
inline constexpr std::string_view kModelFormat = "grove-model";

// Whether `bytes` is a model document written by Model::Save (a JSON object
// whose "format" is kModelFormat), as opposed to, say, an XGBoost model file.
bool IsModelDocument(std::string_view bytes);

// What a model file holds, as the registry records it (a version's metadata
// "family", "format" and, for a model document, "task"): a model document
// names its family; any other bytes are taken as an XGBoost model file.
struct ModelFileKind {
  std::string family = "xgboost";
  std::string format = "xgboost";
  std::string task;  // Empty for an XGBoost model file.
};
ModelFileKind KindOfModelFile(std::string_view bytes);

}  // namespace grove::ml
