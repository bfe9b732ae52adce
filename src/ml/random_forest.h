#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/decision_tree.h"
#include "ml/model.h"

namespace grove::ml {

// A random forest of CART trees (decision_tree.h) for 0/1 labels, as
// scikit-learn's RandomForestClassifier: each tree grows on a bootstrap draw
// of the rows (draw counts become row weights), examining a random subset of
// features at every split; the probability of class 1 is the mean over trees
// of the leaf's weighted class-1 fraction.
//
// Hyperparameters (scikit-learn's names and defaults):
//   n_estimators       integer in [1, 10000]       Default: 100.
//   criterion          "gini" | "entropy"          Default: "gini".
//   max_depth          integer >= 1 or None         Default: None (unlimited).
//   min_samples_split  integer >= 2                 Default: 2.
//   min_samples_leaf   integer >= 1                 Default: 1. Honoured: no leaf has fewer
//                                                   distinct training rows (the reference dropped it).
//   max_features       "sqrt" | "log2" | "all" | None (= all)   Default: "sqrt".
//                      sqrt: max(1, floor(sqrt(d))); log2: max(1, floor(log2(d))).
//   class_weight       "balanced" | None            Default: None. balanced: n / (2 * n_class),
//                                                   from the labels given to Fit, times draw counts.
//   bootstrap          bool                         Default: true. false: every tree sees every row once.
//   random_state       integer >= 0                 Default: 0. Tree i draws from the stream
//                                                   Random::DeriveSeed(random_state, i).
class RandomForest final : public Model {
 public:
  static Result<std::unique_ptr<Model>> Create(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return "random_forest"; }

  const std::vector<DecisionTree>& trees() const { return trees_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;

 private:
  enum class MaxFeatures { kSqrt, kLog2, kAll };
  struct Options {
    int64_t n_estimators = 100;
    TreeOptions tree;  // max_features is set at Fit time from max_features below.
    MaxFeatures max_features = MaxFeatures::kSqrt;
    bool balanced = false;
    bool bootstrap = true;
    uint64_t seed = 0;
  };
  RandomForest(TaskKind task, Json hyperparameters, Options options)
      : Model(task, std::move(hyperparameters)), options_(options) {}

  Options options_;
  std::vector<DecisionTree> trees_;
};

}  // namespace grove::ml
