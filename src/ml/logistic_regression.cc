#include "ml/logistic_regression.h"

#include <Eigen/Dense>
#include <cmath>

#include "ml/hyperparameter_reader.h"
#include "ml/model_state.h"
#include "ml/sigmoid.h"

namespace grove::ml {
namespace {

// log(1 + exp(z)) without overflow.
double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

// The objective and its derivatives for weights beta = (coefficients, intercept).
// f = C * sum_i s_i * logloss_i + 0.5 * |coefficients|^2 (l2), or sum_i s_i * logloss_i (none).
struct Problem {
  const Eigen::MatrixXd& z;  // n x (d + 1): standardised features and a column of ones.
  const Eigen::VectorXd& y;
  const Eigen::VectorXd& s;  // Sample weights.
  double c;                  // Loss factor (C, or 1 without a penalty).
  double l2;                 // 1 with the L2 penalty, else 0.

  double Objective(const Eigen::VectorXd& beta) const {
    Eigen::VectorXd margin = z * beta;
    double loss = 0;
    for (Eigen::Index i = 0; i < margin.size(); ++i) loss += s[i] * (Softplus(margin[i]) - y[i] * margin[i]);
    Eigen::Index d = beta.size() - 1;
    return c * loss + 0.5 * l2 * beta.head(d).squaredNorm();
  }
};

}  // namespace

std::vector<double> BalancedClassWeights(const std::vector<double>& labels) {
  double n = static_cast<double>(labels.size());
  double positives = 0;
  for (double y : labels) positives += y == 1;
  double w1 = n / (2 * positives);
  double w0 = n / (2 * (n - positives));
  std::vector<double> out;
  out.reserve(labels.size());
  for (double y : labels) out.push_back(y == 1 ? w1 : w0);
  return out;
}

Result<std::unique_ptr<Model>> LogisticRegression::Create(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("logistic_regression", hyperparameters);
  Options o;
  o.l2 = r.Choice("penalty", "l2", {"l2", "none"}) == "l2";
  o.c = r.Number("C", 1.0, {.lo = 0, .lo_open = true});
  o.balanced = r.Choice("class_weight", "none", {"balanced", "none"}) == "balanced";
  o.max_iter = r.Integer("max_iter", 100, {.lo = 1});
  o.tol = r.Number("tol", 1e-4, {.lo = 0, .lo_open = true});
  r.Integer("random_state", 0, {.lo = 0});
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new LogisticRegression(task, hyperparameters, o));
}

Status LogisticRegression::FitImpl(const Dataset& data) {
  standardizer_.Fit(data.View());
  std::vector<double> scaled = standardizer_.Transform(data.View());
  const Eigen::Index n = static_cast<Eigen::Index>(data.rows);
  const Eigen::Index d = static_cast<Eigen::Index>(data.cols);
  Eigen::MatrixXd z(n, d + 1);
  z.leftCols(d) = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      scaled.data(), n, d);
  z.col(d).setOnes();
  Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.labels.data(), n);
  Eigen::VectorXd s = Eigen::VectorXd::Ones(n);
  if (options_.balanced) {
    std::vector<double> w = BalancedClassWeights(data.labels);
    s = Eigen::Map<const Eigen::VectorXd>(w.data(), n);
  }
  Problem problem{z, y, s, options_.l2 ? options_.c : 1.0, options_.l2 ? 1.0 : 0.0};
  // The gradient is judged on the weight-averaged objective, as scikit-learn's solvers do.
  const double gradient_scale = 1.0 / (problem.c * s.sum());

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(d + 1);
  double f = problem.Objective(beta);
  converged_ = false;
  iterations_ = 0;
  Eigen::VectorXd penalty_diag = Eigen::VectorXd::Constant(d + 1, problem.l2);
  penalty_diag[d] = 0;
  while (true) {
    Eigen::VectorXd margin = z * beta;
    Eigen::VectorXd residual(n), curvature(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      double p = Sigmoid(margin[i]);
      residual[i] = s[i] * (p - y[i]);
      curvature[i] = s[i] * p * (1 - p);
    }
    Eigen::VectorXd grad = problem.c * (z.transpose() * residual) + penalty_diag.cwiseProduct(beta);
    if (grad.cwiseAbs().maxCoeff() * gradient_scale < options_.tol) {
      converged_ = true;
      break;
    }
    if (iterations_ >= options_.max_iter) break;
    ++iterations_;
    Eigen::MatrixXd hessian = problem.c * (z.transpose() * curvature.asDiagonal() * z);
    hessian.diagonal() += penalty_diag;
    // A tiny ridge keeps the solve defined when the data are separable and curvature vanishes.
    hessian.diagonal().array() += 1e-10 * (1.0 + hessian.diagonal().maxCoeff());
    Eigen::VectorXd step = hessian.ldlt().solve(-grad);
    if (!step.allFinite()) step = -grad;
    double slope = grad.dot(step);
    if (slope >= 0) {
      step = -grad;
      slope = -grad.squaredNorm();
    }
    double t = 1.0;
    double f_new = problem.Objective(beta + step);
    while (!(f_new <= f + 1e-4 * t * slope) && t > 1e-12) {
      t *= 0.5;
      f_new = problem.Objective(beta + t * step);
    }
    if (!(f_new <= f)) break;  // No progress is possible in double precision.
    beta += t * step;
    f = f_new;
  }
  coef_.assign(beta.data(), beta.data() + d);
  intercept_ = beta[d];
  return Status::OK();
}

Result<std::vector<double>> LogisticRegression::PredictImpl(const Features& x) const {
  std::vector<double> out(x.rows);
  const std::vector<double>& mean = standardizer_.mean();
  const std::vector<double>& scale = standardizer_.scale();
  for (size_t r = 0; r < x.rows; ++r) {
    const double* row = x.Row(r);
    double m = intercept_;
    for (size_t c = 0; c < x.cols; ++c) m += coef_[c] * (row[c] - mean[c]) / scale[c];
    out[r] = Sigmoid(m);
  }
  return out;
}

Result<Json> LogisticRegression::SaveState() const {
  return Json{{"standardizer", standardizer_.Save()},
              {"coefficients", DoublesToJson(coef_)},
              {"intercept", intercept_},
              {"iterations", iterations_},
              {"converged", converged_}};
}

Status LogisticRegression::LoadState(const Json& state) {
  if (!state.is_object() || !state.contains("standardizer")) return Status::InvalidArgument("no \"standardizer\"");
  RETURN_IF_ERROR(standardizer_.Load(state.at("standardizer")));
  if (standardizer_.cols() != feature_count()) return Status::InvalidArgument("standardizer size differs from \"features\"");
  ASSIGN_OR_RETURN(coef_, ReadDoubles(state, "coefficients", feature_count()));
  ASSIGN_OR_RETURN(intercept_, ReadDouble(state, "intercept"));
  iterations_ = state.value("iterations", 0);
  converged_ = state.value("converged", false);
  return Status::OK();
}

}  // namespace grove::ml
