#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/model.h"
#include "ml/standardizer.h"

namespace grove::ml {

// Binary logistic regression, fitted by Newton's method with a backtracking
// line search on standardised features (so it equals scikit-learn's
// make_pipeline(StandardScaler(), LogisticRegression(...)): unscaled data like
// breast-cancer's then converges in a few iterations instead of stalling).
//
// Hyperparameters (scikit-learn's names and defaults):
//   penalty       "l2" | "none" (None)   Default: "l2". The intercept is never penalised.
//   C             number > 0             Default: 1. Inverse L2 strength; unused with "none".
//   class_weight  "balanced" | "none"    Default: none. balanced: weight n / (2 * n_class).
//   max_iter      integer >= 1           Default: 100. Newton iterations (each one exact
//                                        second-order step, so far fewer are needed than L-BFGS's).
//   tol           number > 0             Default: 1e-4. Stops when the largest gradient entry of
//                                        the weight-averaged objective is below it.
//   random_state  integer >= 0           Accepted for a uniform interface; the solver is deterministic.
// With penalty "none" on separable data the weights grow until max_iter, as in scikit-learn.
class LogisticRegression final : public Model {
 public:
  static Result<std::unique_ptr<Model>> Create(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return "logistic_regression"; }

  // After Fit: coefficients on standardised features, the intercept, the
  // Newton iterations used and whether the gradient tolerance was reached.
  const std::vector<double>& coefficients() const { return coef_; }
  double intercept() const { return intercept_; }
  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;

 private:
  struct Options {
    bool l2 = true;
    double c = 1.0;
    bool balanced = false;
    int64_t max_iter = 100;
    double tol = 1e-4;
  };
  LogisticRegression(TaskKind task, Json hyperparameters, Options options)
      : Model(task, std::move(hyperparameters)), options_(options) {}

  Options options_;
  Standardizer standardizer_;
  std::vector<double> coef_;
  double intercept_ = 0;
  int iterations_ = 0;
  bool converged_ = false;
};

// Per-row weights for scikit-learn's class_weight="balanced" on 0/1 labels:
// n / (2 * count of the row's class). REQUIRES: both classes present.
std::vector<double> BalancedClassWeights(const std::vector<double>& labels);

}  // namespace grove::ml
