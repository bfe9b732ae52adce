#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/dataset.h"
#include "common/random.h"

namespace grove::ml {

// How a classification tree grows (scikit-learn's DecisionTreeClassifier terms).
struct TreeOptions {
  bool entropy = false;               // Split criterion: entropy (log2) instead of gini.
  std::optional<int64_t> max_depth;   // nullopt: grow until the other limits stop it.
  int64_t min_samples_split = 2;      // A node with fewer rows is a leaf.
  int64_t min_samples_leaf = 1;       // No split may leave fewer rows on either side.
  size_t max_features = 0;            // Non-constant features examined per split. REQUIRES: >= 1.
};

// A CART classification tree for 0/1 labels with weighted rows. Each leaf
// holds the weighted fraction of class 1 among its rows. Row counts (for
// min_samples_*) count distinct rows, as scikit-learn does when bootstrap
// draws become weights. Immutable after Fit; Predict is thread-safe.
class DecisionTree {
 public:
  // Grows the tree on the rows of `x` whose weight is positive. Features are
  // visited in an order drawn from `rng`; constant ones do not count towards
  // max_features, and a split is searched at every midpoint between distinct
  // values (left: x <= threshold). REQUIRES: at least one positive weight.
  void Fit(const Features& x, const std::vector<double>& labels, const std::vector<double>& weights,
           const TreeOptions& options, Random& rng);

  // The class-1 fraction of the leaf that `row` falls in.
  double Predict(const double* row) const;

  size_t node_count() const { return nodes_.size(); }
  size_t leaf_count() const;
  // Rows (distinct, training) in the smallest leaf; 0 before Fit.
  size_t smallest_leaf_rows() const;
  // Rows (distinct, training) in the smallest split node; 0 for a single leaf.
  size_t smallest_split_rows() const;
  int depth() const;

  // {"feature": [...], "threshold": [...], "left": [...], "right": [...], "value": [...]};
  // a leaf has feature -1.
  Json Save() const;
  // kInvalidArgument for a malformed tree or one that uses a feature >= cols.
  static Result<DecisionTree> Load(const Json& state, size_t cols);

 private:
  struct Node {
    int32_t feature = -1;  // -1: leaf.
    double threshold = 0;
    int32_t left = -1;
    int32_t right = -1;
    double value = 0;      // Weighted class-1 fraction.
    int32_t depth = 0;
    uint32_t rows = 0;     // Training rows reaching the node.
  };
  std::vector<Node> nodes_;
};

}  // namespace grove::ml
