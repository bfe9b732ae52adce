#include "serving/tree_ensemble.h"

#include <charconv>
#include <cmath>
#include <exception>
#include <map>
#include <utility>

#include "serving/xgboost_model_spec.h"

namespace grove::serving {

// Compiles an XgboostModelSpec into a TreeEnsemble.
class TreeEnsembleCompiler {
 public:
  static Result<TreeEnsemble> Compile(const XgboostModelSpec& spec) {
    TreeEnsembleCompiler compiler;
    RETURN_IF_ERROR(compiler.Run(spec));
    compiler.out_.Adopt(std::make_shared<const TreeEnsemble::Arrays>(std::move(compiler.arrays_)));
    return std::move(compiler.out_);
  }

 private:
  Status Run(const XgboostModelSpec& spec) {
    if (!spec.has_learner) return Status::InvalidArgument("not an XGBoost model: no \"learner\" object");
    if (spec.booster != "gbtree" && spec.booster != "dart") {
      return Status::NotFound("booster '" + spec.booster + "' is not compiled (only gbtree and dart)");
    }
    const auto& params = spec.learner_model_param;
    ASSIGN_OR_RETURN(out_.num_features_, ParamInt(params, "num_feature", -1));
    ASSIGN_OR_RETURN(size_t num_class, ParamInt(params, "num_class", 0));
    ASSIGN_OR_RETURN(size_t num_target, ParamInt(params, "num_target", 1));
    if (num_target > 1) return Status::NotFound("multi-target models are not compiled");
    if (num_class > TreeEnsemble::kMaxClasses) {
      return Status::NotFound("models with more than 256 classes are not compiled");
    }
    out_.num_groups_ = num_class > 1 ? num_class : 1;
    auto base = params.find("base_score");
    float base_score = 0.5f;
    if (base != params.end() && !ParseFloat(base->second, &base_score)) {
      return Status::InvalidArgument("XGBoost model: base_score '" + base->second + "' is not a number");
    }
    RETURN_IF_ERROR(SetObjective(spec.objective, base_score));
    RETURN_IF_ERROR(ReadTrees(spec));
    if (spec.booster == "dart") return ReadDartWeights(spec.weight_drop);
    return Status::OK();
  }

  static bool ParseFloat(const std::string& text, float* value) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
    return ec == std::errc() && end == text.data() + text.size();
  }

  // An integer parameter; `fallback` < 0 makes it required.
  static Result<size_t> ParamInt(const std::map<std::string, std::string>& params, const char* key,
                                 int fallback) {
    auto it = params.find(key);
    if (it == params.end()) {
      if (fallback >= 0) return static_cast<size_t>(fallback);
      return Status::InvalidArgument(std::string("XGBoost model: no learner_model_param.") + key);
    }
    size_t value = 0;
    const std::string& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Status::InvalidArgument(std::string("XGBoost model: ") + key + " '" + text + "' is not a count");
    }
    return value;
  }

  // The objective's transform and its ProbToMargin applied to base_score.
  Status SetObjective(const std::string& objective, float base_score) {
    out_.objective_ = objective;
    float margin = base_score;
    if (objective == "binary:logistic" || objective == "reg:logistic") {
      margin = -std::log(1.0f / base_score - 1.0f);
      out_.transform_ = OutputTransform::kSigmoid;
    } else if (objective == "count:poisson" || objective == "reg:gamma" || objective == "reg:tweedie") {
      margin = std::log(base_score);
      out_.transform_ = OutputTransform::kExp;
    } else if (objective == "multi:softprob" || objective == "multi:softmax") {
      out_.transform_ = objective == "multi:softprob" ? OutputTransform::kSoftmax : OutputTransform::kArgmax;
    } else if (objective == "binary:logitraw" || objective.rfind("reg:", 0) == 0 ||
               objective.rfind("rank:", 0) == 0) {
      // XGBoost 1.7's logitraw keeps base_score as the margin (no logit), unlike binary:logistic.
      out_.transform_ = OutputTransform::kIdentity;
    } else {
      return Status::NotFound("objective '" + objective + "' is not compiled");
    }
    arrays_.base_margins.assign(out_.num_groups_, margin);
    return Status::OK();
  }

  Status ReadTrees(const XgboostModelSpec& spec) {
    if (spec.tree_info.size() != spec.trees.size()) {
      return Status::InvalidArgument("XGBoost model: tree_info and trees differ in length");
    }
    for (size_t t = 0; t < spec.trees.size(); ++t) {
      int64_t group = spec.tree_info[t];
      if (group < 0 || static_cast<size_t>(group) >= out_.num_groups_) {
        return Status::InvalidArgument("XGBoost model: tree " + std::to_string(t) + " has group " +
                                       std::to_string(group) + " of " + std::to_string(out_.num_groups_));
      }
      arrays_.tree_groups.push_back(static_cast<uint32_t>(group));
      RETURN_IF_ERROR(ReadTree(spec.trees[t]).WithContext("tree " + std::to_string(t)));
    }
    return Status::OK();
  }

  // Copies one tree breadth-first so that siblings are adjacent in nodes_.
  Status ReadTree(const XgboostModelSpec::Tree& tree) {
    auto leaf_vector = tree.tree_param.find("size_leaf_vector");
    if (leaf_vector != tree.tree_param.end() && leaf_vector->second != "0" && leaf_vector->second != "1") {
      return Status::NotFound("vector leaves are not compiled");
    }
    const auto& left = tree.left_children;
    const auto& right = tree.right_children;
    const auto& split_index = tree.split_indices;
    size_t n = left.size();
    if (n == 0 || right.size() != n || split_index.size() != n || tree.split_conditions.size() != n ||
        tree.default_left.size() != n || (!tree.split_type.empty() && tree.split_type.size() != n)) {
      return Status::InvalidArgument("node arrays are empty or differ in length");
    }
    auto& nodes = arrays_.nodes;
    size_t root = nodes.size();
    arrays_.roots.push_back(static_cast<uint32_t>(root));
    // queue_[k] is the source node placed at nodes[root + k].
    queue_.assign(1, 0);
    nodes.emplace_back();
    for (size_t k = 0; k < queue_.size(); ++k) {
      int64_t src = queue_[k];
      if (left[src] < 0) {
        nodes[root + k] = {tree.split_conditions[src], TreeEnsemble::kLeaf, 0};
        continue;
      }
      int64_t l = left[src], r = right[src];
      if (l >= static_cast<int64_t>(n) || r < 0 || r >= static_cast<int64_t>(n) || queue_.size() + 2 > n) {
        return Status::InvalidArgument("node " + std::to_string(src) + " has a child out of range");
      }
      if (!tree.split_type.empty() && tree.split_type[src] != 0) {
        return Status::NotFound("categorical splits are not compiled");
      }
      if (split_index[src] < 0 || static_cast<size_t>(split_index[src]) >= out_.num_features_) {
        return Status::InvalidArgument("node " + std::to_string(src) + " splits on feature " +
                                       std::to_string(split_index[src]) + " of " +
                                       std::to_string(out_.num_features_));
      }
      uint32_t feature = static_cast<uint32_t>(split_index[src]) |
                         (tree.default_left[src] != 0 ? TreeEnsemble::kDefaultLeft : 0);
      nodes[root + k] = {tree.split_conditions[src], feature, static_cast<uint32_t>(root + queue_.size())};
      queue_.push_back(l);
      queue_.push_back(r);
      nodes.resize(nodes.size() + 2);
    }
    return Status::OK();
  }

  Status ReadDartWeights(const std::vector<float>& weights) {
    if (weights.size() != arrays_.roots.size()) {
      return Status::InvalidArgument("dart weight_drop and trees differ in length");
    }
    for (float w : weights) {
      if (w != 1.0f) {
        arrays_.tree_weights = weights;
        break;
      }
    }
    return Status::OK();
  }

  TreeEnsemble out_;
  TreeEnsemble::Arrays arrays_;
  std::vector<int64_t> queue_;  // Scratch for one tree, reused across trees.
};

Result<TreeEnsemble> TreeEnsemble::FromJson(const Json& model) {
  ASSIGN_OR_RETURN(XgboostModelSpec spec, ReadXgboostModelSpec(model));
  return TreeEnsembleCompiler::Compile(spec);
}

Result<TreeEnsemble> TreeEnsemble::FromBytes(std::string_view bytes) {
  // JSON text opens with '{' then whitespace, '"' or '}'; UBJSON follows '{' with a type marker.
  size_t first = bytes.find_first_not_of(" \t\r\n");
  bool text = first != std::string_view::npos && bytes[first] == '{' &&
              (first + 1 >= bytes.size() || std::string_view(" \t\r\n\"}").find(bytes[first + 1]) != std::string_view::npos);
  if (text) {
    Result<XgboostModelSpec> spec = ScanXgboostModelJson(bytes);
    if (spec.ok()) return TreeEnsembleCompiler::Compile(*spec);
  }
  // Not read by the scanner: let nlohmann say what is wrong, or read UBJSON.
  Json doc = Json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // XGBoost's UBJSON models are objects; nlohmann reads UBJSON recursively, so
    // nothing else is tried (a deep array would exhaust the stack).
    if (bytes.empty() || bytes[0] != '{') return Status::InvalidArgument("not an XGBoost model: neither JSON nor UBJSON");
    try {
      doc = Json::from_ubjson(bytes.begin(), bytes.end());
    } catch (const std::exception&) {
      return Status::InvalidArgument("not an XGBoost model: neither JSON nor UBJSON");
    }
  }
  return FromJson(doc);
}

void TreeEnsemble::Adopt(std::shared_ptr<const Arrays> arrays) {
  nodes_ = arrays->nodes;
  roots_ = arrays->roots;
  tree_groups_ = arrays->tree_groups;
  tree_weights_ = arrays->tree_weights;
  base_margins_ = arrays->base_margins;
  owned_bytes_ = sizeof(Arrays) + arrays->nodes.capacity() * sizeof(Node) +
                 (arrays->roots.capacity() + arrays->tree_groups.capacity()) * sizeof(uint32_t) +
                 (arrays->tree_weights.capacity() + arrays->base_margins.capacity()) * sizeof(float);
  owner_ = std::move(arrays);
}

size_t TreeEnsemble::MemoryBytes() const { return sizeof(*this) + owned_bytes_ + objective_.capacity(); }

inline float TreeEnsemble::WalkTree(uint32_t index, const float* row) const {
  const Node* node = &nodes_[index];
  while (node->feature != kLeaf) {
    float x = row[node->feature & ~kDefaultLeft];
    bool right = std::isnan(x) ? (node->feature & kDefaultLeft) == 0 : !(x < node->value);
    node = &nodes_[node->left + right];
  }
  return node->value;
}

void TreeEnsemble::PredictMargins(std::span<const float> row, std::span<float> margins) const {
  const float* x = row.data();
  for (size_t g = 0; g < num_groups_; ++g) margins[g] = base_margins_[g];
  size_t trees = roots_.size();
  if (num_groups_ == 1 && tree_weights_.empty()) {
    float sum = margins[0];
    for (size_t t = 0; t < trees; ++t) sum += WalkTree(roots_[t], x);
    margins[0] = sum;
  } else if (tree_weights_.empty()) {
    for (size_t t = 0; t < trees; ++t) margins[tree_groups_[t]] += WalkTree(roots_[t], x);
  } else {
    for (size_t t = 0; t < trees; ++t) margins[tree_groups_[t]] += tree_weights_[t] * WalkTree(roots_[t], x);
  }
}

void TreeEnsemble::PredictRow(std::span<const float> row, std::span<float> out) const {
  float margins[kMaxClasses];
  PredictMargins(row, std::span<float>(margins, num_groups_));
  switch (transform_) {
    case OutputTransform::kIdentity:
      out[0] = margins[0];
      return;
    case OutputTransform::kSigmoid:
      out[0] = 1.0f / (1.0f + std::exp(-margins[0]));
      return;
    case OutputTransform::kExp:
      out[0] = std::exp(margins[0]);
      return;
    case OutputTransform::kSoftmax: {
      float max = margins[0];
      for (size_t g = 1; g < num_groups_; ++g) max = std::max(max, margins[g]);
      double sum = 0;
      for (size_t g = 0; g < num_groups_; ++g) {
        out[g] = std::exp(margins[g] - max);
        sum += out[g];
      }
      for (size_t g = 0; g < num_groups_; ++g) out[g] = static_cast<float>(out[g] / sum);
      return;
    }
    case OutputTransform::kArgmax: {
      size_t best = 0;
      for (size_t g = 1; g < num_groups_; ++g) best = margins[g] > margins[best] ? g : best;
      out[0] = static_cast<float>(best);
      return;
    }
  }
}

}  // namespace grove::serving
