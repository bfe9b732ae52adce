#pragma once

#include <xgboost/c_api.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/xgboost_dmatrix.h"

namespace grove::ml {

// Owns one XGBoost BoosterHandle. Move-only; freed on destruction. Every C API
// call is checked and its error returned as a Status (code kInternal unless
// said otherwise). Predict may be called from many threads at once on one
// booster; every other method needs exclusive access.
//
// XGBoost 1.7 predicts in place, and thread-safely, for tree boosters only;
// gblinear models are predicted through a DMatrix, one call at a time. A
// moved-from booster is empty: only assignment and destruction are allowed.
class XgboostBooster {
 public:
  enum class Format { kJson, kUbjson };

  XgboostBooster() = default;
  ~XgboostBooster();
  XgboostBooster(XgboostBooster&& other) noexcept;
  XgboostBooster& operator=(XgboostBooster&& other) noexcept;
  XgboostBooster(const XgboostBooster&) = delete;
  XgboostBooster& operator=(const XgboostBooster&) = delete;

  // A new, untrained booster that caches predictions for `cache` (the matrices
  // it will be trained and evaluated on; they must outlive the booster's training).
  static Result<XgboostBooster> Create(std::span<const XgboostDMatrix* const> cache);
  // A model in any format XGBoost reads (JSON, UBJSON, legacy binary), from memory.
  static Result<XgboostBooster> LoadFromBuffer(std::string_view bytes);
  // The same from a file; the file name needs no particular extension.
  // Errors start with the path; a missing file is kNotFound.
  static Result<XgboostBooster> LoadFromFile(const std::filesystem::path& path);
  // From XGBoost's serialised form (model and configuration, as Serialize
  // writes and Python's pickle of a Booster holds).
  static Result<XgboostBooster> Unserialize(std::string_view bytes);

  // Sets one XGBoost parameter (XGBoosterSetParam).
  Status SetParam(const std::string& name, const std::string& value);
  // Model attributes are saved with the model ("best_iteration", ...).
  Status SetAttr(const std::string& name, const std::string& value);
  Result<std::optional<std::string>> GetAttr(const std::string& name) const;

  // Boosts one round on `train`.
  Status UpdateOneIter(int iteration, const XgboostDMatrix& train);
  // Evaluates the model on `sets` named by `names` (same length), e.g.
  // "[3]\ttrain-rmse:1.25\tvalidation-rmse:1.43".
  Result<std::string> EvalOneIter(int iteration, std::span<const XgboostDMatrix* const> sets,
                                  std::span<const std::string> names);

  Result<int> BoostedRounds() const;
  Result<size_t> NumFeatures() const;
  // A new booster with rounds [begin, end). Tree boosters only (gbtree, dart);
  // gblinear answers kFailedPrecondition. Attributes are not copied.
  Result<XgboostBooster> Slice(int begin, int end) const;

  // The learner configuration (XGBoosterSaveJsonConfig).
  Result<Json> Config() const;
  // The objective's name from the configuration, e.g. "binary:logistic".
  Result<std::string> Objective() const;

  // The model bytes; JSON is what the xgboost Python package's Booster(model_file=) reads.
  Result<std::string> Save(Format format = Format::kJson) const;
  // Writes the model as XGBoost JSON (unsynced: the artifact store syncs what it keeps).
  Status SaveToFile(const std::filesystem::path& path) const;
  // The model and its configuration (XGBoosterSerializeToBuffer).
  Result<std::string> Serialize() const;

  // Predicts `rows` rows of `cols` features (row-major, NaN = missing).
  // Returns rows * outputs-per-row values (one per row for regression and
  // binary objectives; num_class per row for multi:softprob): transformed
  // values (probabilities for binary:logistic), or raw margins with
  // `output_margin`. Thread-safe.
  Result<std::vector<float>> Predict(std::span<const float> features, size_t rows, size_t cols,
                                     bool output_margin = false) const;

  // Per-feature importance (XGBoosterFeatureScore) of `type`: "weight" (how
  // many splits use the feature), "gain", "cover", ... Features never used
  // are absent. Names are the model's, or "f<index>" when it has none.
  Result<std::vector<std::pair<std::string, double>>> FeatureScores(const std::string& type) const;

  BoosterHandle handle() const { return handle_; }

 private:
  explicit XgboostBooster(BoosterHandle handle) : handle_(handle) {}
  static Result<XgboostBooster> LoadWith(int (*load)(BoosterHandle, const void*, bst_ulong), std::string_view bytes,
                                         const std::string& what);
  // The DMatrix route for boosters without in-place prediction (gblinear).
  // REQUIRES: dmatrix_predict_mutex_ held.
  Result<std::vector<float>> PredictThroughDMatrix(std::span<const float> features, size_t rows, size_t cols,
                                                   bool output_margin) const;

  BoosterHandle handle_ = nullptr;
  // Serialises PredictThroughDMatrix, which XGBoost does not make thread-safe.
  std::unique_ptr<std::mutex> dmatrix_predict_mutex_ = std::make_unique<std::mutex>();
};

}  // namespace grove::ml
