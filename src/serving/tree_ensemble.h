#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::serving {

// How an objective turns a row's margins into its outputs (XGBoost's PredTransform).
enum class OutputTransform {
  kIdentity,  // reg:squarederror and friends, binary:logitraw, rank:*.
  kSigmoid,   // binary:logistic, reg:logistic: 1 / (1 + exp(-margin)).
  kExp,       // count:poisson, reg:gamma, reg:tweedie.
  kSoftmax,   // multi:softprob: num_class probabilities per row.
  kArgmax,    // multi:softmax: the index of the largest margin, as a float.
};

// An XGBoost tree model (gbtree, or dart with its tree weights) compiled into
// one flat node array that a row walks without allocating. Predictions equal
// libxgboost's: features are compared as float (x < split_condition goes left,
// NaN follows the node's default direction), leaves are summed in float in
// tree order onto the base margin, and the objective's transform is applied
// last.
//
// The arrays are views: into vectors the compiler filled, or into a mapped
// compiled file (compiled_model_file.h); `owner_` keeps either alive, so
// copies are cheap and share them.
//
// Immutable after creation and safe to share between threads.
class TreeEnsemble {
 public:
  // Largest num_class compiled (margins are kept on the stack while predicting).
  static constexpr size_t kMaxClasses = 256;

  // Compiles the model XGBoost saves (XGBoosterSaveModel as JSON or UBJSON).
  // JSON text is read by a scanner that skips what the walker does not need
  // (~0.3 ms for a 50-tree model, against ~4-8 ms for a full Json parse).
  // Model kinds without a compiled form (gblinear, categorical splits,
  // multi-target leaves, an objective not listed in OutputTransform, more than
  // kMaxClasses classes) are kNotFound, so callers fall back to libxgboost;
  // bytes that are no XGBoost model, or a model that contradicts itself (a
  // child out of range, a feature index past num_feature), are kInvalidArgument.
  static Result<TreeEnsemble> FromBytes(std::string_view bytes);
  // The same from the parsed document.
  static Result<TreeEnsemble> FromJson(const Json& model);

  // Features per row the model was trained on.
  size_t num_features() const { return num_features_; }
  // Values PredictRow writes per row: num_class for kSoftmax, else 1.
  size_t num_outputs() const { return transform_ == OutputTransform::kSoftmax ? num_groups_ : 1; }
  // Margins per row (num_class for multi-class objectives, else 1).
  size_t num_groups() const { return num_groups_; }
  size_t num_trees() const { return roots_.size(); }
  size_t num_tree_weights() const { return tree_weights_.size(); }
  size_t num_nodes() const { return nodes_.size(); }
  const std::string& objective() const { return objective_; }
  OutputTransform transform() const { return transform_; }
  // Bytes held by this object (or mapped for it), for cache budgets.
  size_t MemoryBytes() const;

  // Predicts one row into `out` without allocating.
  // REQUIRES: row.size() >= num_features(), out.size() >= num_outputs().
  void PredictRow(std::span<const float> row, std::span<float> out) const;
  // The untransformed margins of one row, as XGBoost's output_margin.
  // REQUIRES: row.size() >= num_features(), margins.size() >= num_groups().
  void PredictMargins(std::span<const float> row, std::span<float> margins) const;

 private:
  // Children of a split are adjacent: right = left + 1. A leaf has feature kLeaf.
  struct Node {
    float value;       // Split condition, or the leaf value.
    uint32_t feature;  // Feature index | kDefaultLeft, or kLeaf.
    uint32_t left;     // Index of the left child in nodes_.
  };
  static constexpr uint32_t kDefaultLeft = 0x80000000u;
  static constexpr uint32_t kLeaf = 0xFFFFFFFFu;

  static_assert(sizeof(Node) == 12, "compiled model files store nodes as 12 bytes");
  // The arrays of a model compiled in memory.
  struct Arrays {
    std::vector<Node> nodes;
    std::vector<uint32_t> roots, tree_groups;
    std::vector<float> tree_weights, base_margins;
  };

  friend class TreeEnsembleCompiler;
  friend class CompiledModelFile;
  TreeEnsemble() = default;
  // Points the views at `arrays` and keeps them alive.
  void Adopt(std::shared_ptr<const Arrays> arrays);

  float WalkTree(uint32_t root, const float* row) const;

  std::shared_ptr<const void> owner_;    // What the views below point into.
  size_t owned_bytes_ = 0;               // Of owner_, for MemoryBytes.
  std::span<const Node> nodes_;
  std::span<const uint32_t> roots_;        // Root node of each tree, in model order.
  std::span<const uint32_t> tree_groups_;  // Output group of each tree (tree_info).
  std::span<const float> tree_weights_;    // dart's weight_drop; empty when every weight is 1.
  std::span<const float> base_margins_;    // Per group: the base score as a margin.
  size_t num_features_ = 0;
  size_t num_groups_ = 1;
  std::string objective_;
  OutputTransform transform_ = OutputTransform::kIdentity;
};

}  // namespace grove::serving
