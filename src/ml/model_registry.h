#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"
#include "ml/model.h"

namespace grove::ml {

// Makes an unfitted model from hyperparameters; kInvalidArgument for bad ones.
using ModelFactory = std::function<Result<std::unique_ptr<Model>>(const Json& hyperparameters, TaskKind task)>;

struct ModelFamily {
  std::string name;              // "random_forest"
  std::vector<TaskKind> tasks;   // The tasks it can learn.
  ModelFactory create;
};

// Model families by name, as XGBoost creates its components from a registry.
// BuiltIn() holds Grove's families: xgboost, lightgbm (XGBoost in LightGBM's
// terms), random_forest, logistic_regression, gaussian_nb, mlp (classification)
// and linear_regression, ridge (regression; xgboost and lightgbm do both).
// Thread safety: const methods may run concurrently; Register needs exclusive access.
class ModelRegistry {
 public:
  // The built-in families; built once, never modified.
  static const ModelRegistry& BuiltIn();

  // kAlreadyExists when the name is taken.
  Status Register(ModelFamily family);

  // A new unfitted model. Errors (kInvalidArgument): an unknown family (listing
  // the valid ones), a family that cannot learn `task` (listing those that can),
  // bad hyperparameters (each named, with what is valid).
  Result<std::unique_ptr<Model>> Create(std::string_view family, const Json& hyperparameters, TaskKind task) const;
  // Create without keeping the model: checks a family and its hyperparameters.
  Status Validate(std::string_view family, const Json& hyperparameters, TaskKind task) const;

  // A fitted model from Model::Save's document; kInvalidArgument when it is
  // not one, names an unknown family or holds a malformed state.
  Result<std::unique_ptr<Model>> Load(std::string_view bytes) const;

  // Family names in registration order; with a task, those that can learn it.
  std::vector<std::string> FamilyNames() const;
  std::vector<std::string> FamilyNames(TaskKind task) const;

 private:
  const ModelFamily* Find(std::string_view name) const;

  std::vector<ModelFamily> families_;
};

}  // namespace grove::ml
