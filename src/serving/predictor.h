#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::serving {

// What a predictor's values per row mean, from the model's objective.
enum class OutputKind {
  kValue,               // Regression (reg:*, count:*, rank:*): one value per row.
  kProbability,         // binary:logistic: P(label = 1), one per row.
  kMargin,              // binary:logitraw: the raw score, one per row (> 0 means label 1).
  kClassProbabilities,  // multi:softprob: num_class probabilities per row.
  kClassIndex,          // multi:softmax, binary:hinge: the predicted class as a number.
};

// The output kind of an XGBoost objective name; unknown objectives are kValue.
OutputKind OutputKindOf(std::string_view objective);
const char* OutputKindName(OutputKind kind);

// A loaded model that turns dense feature rows into predictions. Implementations
// are immutable after loading, and PredictRows is safe to call from many threads.
class Predictor {
 public:
  virtual ~Predictor() = default;

  // Features per row.
  virtual size_t num_features() const = 0;
  // Values per row in PredictRows' output (num_class for kClassProbabilities, else 1).
  virtual size_t num_outputs() const = 0;
  virtual OutputKind output_kind() const = 0;
  // The XGBoost objective, e.g. "binary:logistic".
  virtual const std::string& objective() const = 0;
  // "compiled" or "libxgboost", for `endpoint show` and metrics.
  virtual std::string_view implementation() const = 0;
  // Estimated bytes held, for cache budgets.
  virtual size_t MemoryBytes() const = 0;

  // Predicts `rows` rows of num_features() values (row-major; NaN = missing)
  // into `out` (rows * num_outputs() values). InvalidArgument when the sizes
  // disagree; Internal when a library fails.
  virtual Status PredictRows(std::span<const float> features, size_t rows, std::span<float> out) const = 0;

  // The same into a new vector.
  Result<std::vector<float>> PredictRows(std::span<const float> features, size_t rows) const;

 protected:
  // The size check every implementation starts with.
  Status CheckShape(std::span<const float> features, size_t rows, std::span<float> out) const;
};

enum class PredictorChoice {
  kAuto,       // The compiled walker when the model compiles, else libxgboost.
  kCompiled,   // Only the compiled walker (its error when the model does not compile).
  kLibxgboost, // Only libxgboost.
};

// Loads a "grove-model" document (any ml::Model family) as a FamilyPredictor,
// or model bytes as XGBoost writes them (JSON, UBJSON, or its legacy binary
// format). With kAuto, any model the compiler rejects (gblinear, categorical
// splits, a format it does not read) falls back to libxgboost; only when
// libxgboost fails too is the result an error (kInvalidArgument, naming both reasons).
Result<std::unique_ptr<Predictor>> LoadPredictor(std::string_view model_bytes,
                                                 PredictorChoice choice = PredictorChoice::kAuto);

}  // namespace grove::serving
