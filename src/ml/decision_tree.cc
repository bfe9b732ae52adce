#include "ml/decision_tree.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "ml/model_state.h"

namespace grove::ml {
namespace {

// Values closer than this are one value (scikit-learn's FEATURE_THRESHOLD).
constexpr double kFeatureThreshold = 1e-7;

double Impurity(double w0, double w1, bool entropy) {
  double total = w0 + w1;
  if (total <= 0) return 0;
  double p0 = w0 / total, p1 = w1 / total;
  if (!entropy) return 1.0 - p0 * p0 - p1 * p1;
  double h = 0;
  if (p0 > 0) h -= p0 * std::log2(p0);
  if (p1 > 0) h -= p1 * std::log2(p1);
  return h;
}

struct Split {
  int32_t feature = -1;
  double threshold = 0;
  double improvement = -1;  // Weighted impurity decrease, unnormalised.
};

struct Builder {
  const Features& x;
  const std::vector<double>& labels;
  const std::vector<double>& weights;
  const TreeOptions& options;
  Random& rng;
  std::vector<uint32_t> rows;  // Rows of the node being built occupy a contiguous range.
  std::vector<std::pair<double, uint32_t>> sorted;
  std::vector<uint32_t> feature_order;

  // The best split of rows[begin, end) over the features visited, or feature -1.
  Split FindSplit(size_t begin, size_t end, double w0, double w1) {
    Split best;
    size_t n = end - begin;
    double parent = (w0 + w1) * Impurity(w0, w1, options.entropy);
    std::iota(feature_order.begin(), feature_order.end(), 0u);
    size_t visited = 0;
    for (size_t f = 0; f < feature_order.size() && visited < options.max_features; ++f) {
      // Draws the next feature without replacement (a lazy Fisher-Yates).
      std::swap(feature_order[f], feature_order[f + rng.UniformInt(feature_order.size() - f)]);
      uint32_t feature = feature_order[f];
      sorted.clear();
      for (size_t i = begin; i < end; ++i) sorted.emplace_back(x.At(rows[i], feature), rows[i]);
      std::sort(sorted.begin(), sorted.end());
      if (sorted.back().first <= sorted.front().first + kFeatureThreshold) continue;  // Constant here.
      ++visited;
      double left0 = 0, left1 = 0;
      for (size_t i = 0; i + 1 < n; ++i) {
        uint32_t r = sorted[i].second;
        (labels[r] == 1 ? left1 : left0) += weights[r];
        if (sorted[i + 1].first <= sorted[i].first + kFeatureThreshold) continue;
        size_t left_rows = i + 1;
        if (left_rows < static_cast<size_t>(options.min_samples_leaf) ||
            n - left_rows < static_cast<size_t>(options.min_samples_leaf)) {
          continue;
        }
        double right0 = w0 - left0, right1 = w1 - left1;
        double improvement = parent - (left0 + left1) * Impurity(left0, left1, options.entropy) -
                             (right0 + right1) * Impurity(right0, right1, options.entropy);
        if (improvement > best.improvement) {
          best.feature = static_cast<int32_t>(feature);
          best.improvement = improvement;
          double mid = sorted[i].first / 2.0 + sorted[i + 1].first / 2.0;
          best.threshold = mid >= sorted[i + 1].first ? sorted[i].first : mid;
        }
      }
    }
    return best;
  }
};

}  // namespace

void DecisionTree::Fit(const Features& x, const std::vector<double>& labels, const std::vector<double>& weights,
                       const TreeOptions& options, Random& rng) {
  nodes_.clear();
  Builder b{x, labels, weights, options, rng, {}, {}, std::vector<uint32_t>(x.cols)};
  for (size_t r = 0; r < x.rows; ++r) {
    if (weights[r] > 0) b.rows.push_back(static_cast<uint32_t>(r));
  }
  // Depth-first with an explicit stack: (node index, begin, end).
  struct Pending { int32_t node; size_t begin, end; };
  std::vector<Pending> stack;
  nodes_.push_back(Node{});
  stack.push_back({0, 0, b.rows.size()});
  while (!stack.empty()) {
    Pending p = stack.back();
    stack.pop_back();
    double w0 = 0, w1 = 0;
    for (size_t i = p.begin; i < p.end; ++i) (labels[b.rows[i]] == 1 ? w1 : w0) += weights[b.rows[i]];
    size_t n = p.end - p.begin;
    Node& node = nodes_[p.node];
    node.value = w1 / (w0 + w1);
    node.rows = static_cast<uint32_t>(n);
    bool leaf = (options.max_depth && node.depth >= *options.max_depth) ||
                n < static_cast<size_t>(options.min_samples_split) ||
                n < 2 * static_cast<size_t>(options.min_samples_leaf) || w0 == 0 || w1 == 0;
    if (leaf) continue;
    Split split = b.FindSplit(p.begin, p.end, w0, w1);
    if (split.feature < 0) continue;
    auto mid = std::partition(b.rows.begin() + p.begin, b.rows.begin() + p.end,
                              [&](uint32_t r) { return x.At(r, split.feature) <= split.threshold; });
    size_t split_at = static_cast<size_t>(mid - b.rows.begin());
    int32_t depth = node.depth + 1;
    int32_t left = static_cast<int32_t>(nodes_.size());
    nodes_[p.node].feature = split.feature;
    nodes_[p.node].threshold = split.threshold;
    nodes_[p.node].left = left;
    nodes_[p.node].right = left + 1;
    nodes_.push_back(Node{.depth = depth});  // Invalidates `node`.
    nodes_.push_back(Node{.depth = depth});
    stack.push_back({left + 1, split_at, p.end});
    stack.push_back({left, p.begin, split_at});
  }
}

double DecisionTree::Predict(const double* row) const {
  int32_t i = 0;
  while (nodes_[i].feature >= 0) i = row[nodes_[i].feature] <= nodes_[i].threshold ? nodes_[i].left : nodes_[i].right;
  return nodes_[i].value;
}

size_t DecisionTree::leaf_count() const {
  return std::count_if(nodes_.begin(), nodes_.end(), [](const Node& n) { return n.feature < 0; });
}

size_t DecisionTree::smallest_leaf_rows() const {
  size_t smallest = 0;
  for (const Node& n : nodes_) {
    if (n.feature < 0 && (smallest == 0 || n.rows < smallest)) smallest = n.rows;
  }
  return smallest;
}

size_t DecisionTree::smallest_split_rows() const {
  size_t smallest = 0;
  for (const Node& n : nodes_) {
    if (n.feature >= 0 && (smallest == 0 || n.rows < smallest)) smallest = n.rows;
  }
  return smallest;
}

int DecisionTree::depth() const {
  int d = 0;
  for (const Node& n : nodes_) d = std::max(d, static_cast<int>(n.depth));
  return d;
}

Json DecisionTree::Save() const {
  Json feature = Json::array(), threshold = Json::array(), left = Json::array(), right = Json::array(),
       value = Json::array();
  for (const Node& n : nodes_) {
    feature.push_back(n.feature);
    threshold.push_back(n.threshold);
    left.push_back(n.left);
    right.push_back(n.right);
    value.push_back(n.value);
  }
  return Json{{"feature", feature}, {"threshold", threshold}, {"left", left}, {"right", right}, {"value", value}};
}

Result<DecisionTree> DecisionTree::Load(const Json& state, size_t cols) {
  ASSIGN_OR_RETURN(std::vector<double> feature, ReadDoubles(state, "feature"));
  size_t n = feature.size();
  ASSIGN_OR_RETURN(std::vector<double> threshold, ReadDoubles(state, "threshold", n));
  ASSIGN_OR_RETURN(std::vector<double> left, ReadDoubles(state, "left", n));
  ASSIGN_OR_RETURN(std::vector<double> right, ReadDoubles(state, "right", n));
  ASSIGN_OR_RETURN(std::vector<double> value, ReadDoubles(state, "value", n));
  if (n == 0) return Status::InvalidArgument("a tree needs at least one node");
  DecisionTree tree;
  tree.nodes_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    Node& node = tree.nodes_[i];
    node.feature = static_cast<int32_t>(feature[i]);
    node.threshold = threshold[i];
    node.left = static_cast<int32_t>(left[i]);
    node.right = static_cast<int32_t>(right[i]);
    node.value = value[i];
    if (node.feature >= 0) {
      // Children come after their parent, so every path ends at a leaf.
      bool ok = static_cast<size_t>(node.feature) < cols && node.left > static_cast<int32_t>(i) &&
                node.right > static_cast<int32_t>(i) && static_cast<size_t>(node.left) < n &&
                static_cast<size_t>(node.right) < n;
      if (!ok) return Status::InvalidArgument("tree node " + std::to_string(i) + " is malformed");
    }
  }
  return tree;
}

}  // namespace grove::ml
