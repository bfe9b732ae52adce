#include "ml/random_forest.h"

#include <algorithm>
#include <cmath>

#include "ml/hyperparameter_reader.h"
#include "ml/logistic_regression.h"

namespace grove::ml {

Result<std::unique_ptr<Model>> RandomForest::Create(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("random_forest", hyperparameters);
  Options o;
  o.n_estimators = r.Integer("n_estimators", 100, {.lo = 1, .hi = 10000});
  o.tree.entropy = r.Choice("criterion", "gini", {"gini", "entropy"}) == "entropy";
  o.tree.max_depth = r.OptionalInteger("max_depth", std::nullopt, {.lo = 1});
  o.tree.min_samples_split = r.Integer("min_samples_split", 2, {.lo = 2});
  o.tree.min_samples_leaf = r.Integer("min_samples_leaf", 1, {.lo = 1});
  std::string max_features = r.Choice("max_features", "sqrt", {"sqrt", "log2", "all", "none"});
  o.max_features = max_features == "sqrt" ? MaxFeatures::kSqrt
                   : max_features == "log2" ? MaxFeatures::kLog2
                                            : MaxFeatures::kAll;
  o.balanced = r.Choice("class_weight", "none", {"balanced", "none"}) == "balanced";
  o.bootstrap = r.Bool("bootstrap", true);
  o.seed = static_cast<uint64_t>(r.Integer("random_state", 0, {.lo = 0}));
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new RandomForest(task, hyperparameters, o));
}

Status RandomForest::FitImpl(const Dataset& data) {
  TreeOptions tree_options = options_.tree;
  double d = static_cast<double>(data.cols);
  switch (options_.max_features) {
    case MaxFeatures::kSqrt: tree_options.max_features = static_cast<size_t>(std::sqrt(d)); break;
    case MaxFeatures::kLog2: tree_options.max_features = static_cast<size_t>(std::log2(d)); break;
    case MaxFeatures::kAll: tree_options.max_features = data.cols; break;
  }
  tree_options.max_features = std::max<size_t>(1, tree_options.max_features);
  std::vector<double> class_weight =
      options_.balanced ? BalancedClassWeights(data.labels) : std::vector<double>(data.rows, 1.0);

  trees_.assign(static_cast<size_t>(options_.n_estimators), DecisionTree());
  std::vector<double> weights(data.rows);
  for (size_t t = 0; t < trees_.size(); ++t) {
    Random rng(Random::DeriveSeed(options_.seed, t));
    if (options_.bootstrap) {
      std::fill(weights.begin(), weights.end(), 0.0);
      for (size_t i = 0; i < data.rows; ++i) weights[rng.UniformInt(data.rows)] += 1.0;
      for (size_t i = 0; i < data.rows; ++i) weights[i] *= class_weight[i];
    } else {
      weights = class_weight;
    }
    trees_[t].Fit(data.View(), data.labels, weights, tree_options, rng);
  }
  return Status::OK();
}

Result<std::vector<double>> RandomForest::PredictImpl(const Features& x) const {
  std::vector<double> out(x.rows, 0.0);
  for (size_t r = 0; r < x.rows; ++r) {
    double sum = 0;
    for (const DecisionTree& tree : trees_) sum += tree.Predict(x.Row(r));
    out[r] = sum / static_cast<double>(trees_.size());
  }
  return out;
}

Result<Json> RandomForest::SaveState() const {
  Json trees = Json::array();
  for (const DecisionTree& tree : trees_) trees.push_back(tree.Save());
  return Json{{"trees", std::move(trees)}};
}

Status RandomForest::LoadState(const Json& state) {
  if (!state.is_object() || !state.contains("trees") || !state.at("trees").is_array() ||
      state.at("trees").empty()) {
    return Status::InvalidArgument("\"trees\" must be a non-empty array");
  }
  std::vector<DecisionTree> trees;
  for (const Json& t : state.at("trees")) {
    Result<DecisionTree> tree = DecisionTree::Load(t, feature_count());
    if (!tree.ok()) return tree.status().WithContext("tree " + std::to_string(trees.size()));
    trees.push_back(std::move(tree).value());
  }
  trees_ = std::move(trees);
  return Status::OK();
}

}  // namespace grove::ml
