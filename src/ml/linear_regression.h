#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/model.h"

namespace grove::ml {

// Least-squares linear regression: "linear_regression" (ordinary least
// squares, scikit-learn's LinearRegression) and "ridge" (L2-penalised,
// scikit-learn's Ridge). The intercept is fitted by centring and never
// penalised. Ordinary least squares solves with a complete orthogonal
// decomposition, so collinear or constant columns give the minimum-norm
// solution as numpy's lstsq does; ridge solves (X'X + alpha I) w = X'y.
//
// Hyperparameters:
//   alpha          number >= 0    Default: 1 ("ridge" only). 0 is ordinary least squares.
//   fit_intercept  bool           Default: true.
//   random_state   integer >= 0   Accepted for a uniform interface; the solvers are deterministic.
class LinearRegression final : public Model {
 public:
  static Result<std::unique_ptr<Model>> CreateOrdinary(const Json& hyperparameters, TaskKind task);
  static Result<std::unique_ptr<Model>> CreateRidge(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return family_; }

  // After Fit, in the units of the raw features.
  const std::vector<double>& coefficients() const { return coef_; }
  double intercept() const { return intercept_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;

 private:
  LinearRegression(std::string family, TaskKind task, Json hyperparameters, double alpha, bool fit_intercept)
      : Model(task, std::move(hyperparameters)), family_(std::move(family)), alpha_(alpha),
        fit_intercept_(fit_intercept) {}

  std::string family_;
  double alpha_;
  bool fit_intercept_;
  std::vector<double> coef_;
  double intercept_ = 0;
};

}  // namespace grove::ml
