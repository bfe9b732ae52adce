#include "ml/linear_regression.h"

#include <Eigen/Dense>

#include "ml/hyperparameter_reader.h"
#include "ml/model_state.h"

namespace grove::ml {

Result<std::unique_ptr<Model>> LinearRegression::CreateOrdinary(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("linear_regression", hyperparameters);
  bool fit_intercept = r.Bool("fit_intercept", true);
  r.Integer("random_state", 0, {.lo = 0});
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new LinearRegression("linear_regression", task, hyperparameters, 0, fit_intercept));
}

Result<std::unique_ptr<Model>> LinearRegression::CreateRidge(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("ridge", hyperparameters);
  double alpha = r.Number("alpha", 1.0, {.lo = 0});
  bool fit_intercept = r.Bool("fit_intercept", true);
  r.Integer("random_state", 0, {.lo = 0});
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new LinearRegression("ridge", task, hyperparameters, alpha, fit_intercept));
}

Status LinearRegression::FitImpl(const Dataset& data) {
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Index n = static_cast<Eigen::Index>(data.rows);
  const Eigen::Index d = static_cast<Eigen::Index>(data.cols);
  Eigen::MatrixXd x = Eigen::Map<const RowMajor>(data.features.data(), n, d);
  Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.labels.data(), n);
  Eigen::RowVectorXd x_mean = Eigen::RowVectorXd::Zero(d);
  double y_mean = 0;
  if (fit_intercept_) {
    x_mean = x.colwise().mean();
    y_mean = y.mean();
    x.rowwise() -= x_mean;
    y.array() -= y_mean;
  }
  Eigen::VectorXd w;
  if (alpha_ == 0) {
    w = x.completeOrthogonalDecomposition().solve(y);
  } else {
    Eigen::MatrixXd gram = x.transpose() * x;
    gram.diagonal().array() += alpha_;
    w = gram.ldlt().solve(x.transpose() * y);
  }
  if (!w.allFinite()) return Status::InvalidArgument(family_ + ": the least-squares solve failed (non-finite result)");
  coef_.assign(w.data(), w.data() + d);
  intercept_ = fit_intercept_ ? y_mean - x_mean.dot(w) : 0.0;
  return Status::OK();
}

Result<std::vector<double>> LinearRegression::PredictImpl(const Features& x) const {
  std::vector<double> out(x.rows, intercept_);
  for (size_t r = 0; r < x.rows; ++r) {
    for (size_t c = 0; c < x.cols; ++c) out[r] += coef_[c] * x.At(r, c);
  }
  return out;
}

Result<Json> LinearRegression::SaveState() const {
  return Json{{"coefficients", DoublesToJson(coef_)}, {"intercept", intercept_}};
}

Status LinearRegression::LoadState(const Json& state) {
  ASSIGN_OR_RETURN(coef_, ReadDoubles(state, "coefficients", feature_count()));
  ASSIGN_OR_RETURN(intercept_, ReadDouble(state, "intercept"));
  return Status::OK();
}

}  // namespace grove::ml
