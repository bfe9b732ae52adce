#include "ml/gaussian_nb.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "ml/hyperparameter_reader.h"
#include "ml/model_state.h"

namespace grove::ml {
namespace {

// Population mean and variance of each column over the rows where keep(row).
template <typename Keep>
void ColumnMoments(const Dataset& data, Keep keep, std::vector<double>* mean, std::vector<double>* var) {
  mean->assign(data.cols, 0.0);
  var->assign(data.cols, 0.0);
  double count = 0;
  for (size_t r = 0; r < data.rows; ++r) {
    if (!keep(r)) continue;
    ++count;
    for (size_t c = 0; c < data.cols; ++c) (*mean)[c] += data.Row(r)[c];
  }
  for (double& m : *mean) m /= count;
  for (size_t r = 0; r < data.rows; ++r) {
    if (!keep(r)) continue;
    for (size_t c = 0; c < data.cols; ++c) {
      double d = data.Row(r)[c] - (*mean)[c];
      (*var)[c] += d * d;
    }
  }
  for (double& v : *var) v /= count;
}

}  // namespace

Result<std::unique_ptr<Model>> GaussianNb::Create(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("gaussian_nb", hyperparameters);
  double var_smoothing = r.Number("var_smoothing", 1e-9, {.lo = 0});
  r.Integer("random_state", 0, {.lo = 0});
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new GaussianNb(task, hyperparameters, var_smoothing));
}

Status GaussianNb::FitImpl(const Dataset& data) {
  std::vector<double> all_mean, all_var;
  ColumnMoments(data, [](size_t) { return true; }, &all_mean, &all_var);
  epsilon_ = var_smoothing_ * *std::max_element(all_var.begin(), all_var.end());
  for (int label = 0; label < 2; ++label) {
    ColumnMoments(data, [&](size_t r) { return data.labels[r] == label; }, &mean_[label], &var_[label]);
    for (double& v : var_[label]) v += epsilon_;
    double count = static_cast<double>(std::count(data.labels.begin(), data.labels.end(), label));
    prior_[label] = count / static_cast<double>(data.rows);
  }
  for (int label = 0; label < 2; ++label) {
    for (double v : var_[label]) {
      if (!(v > 0)) {
        return Status::InvalidArgument(
            "gaussian_nb: a feature is constant within a class and var_smoothing is 0; set var_smoothing > 0");
      }
    }
  }
  return Status::OK();
}

Result<std::vector<double>> GaussianNb::PredictImpl(const Features& x) const {
  std::vector<double> out(x.rows);
  for (size_t r = 0; r < x.rows; ++r) {
    std::array<double, 2> joint{};
    for (int label = 0; label < 2; ++label) {
      double ll = std::log(prior_[label]);
      for (size_t c = 0; c < x.cols; ++c) {
        double d = x.At(r, c) - mean_[label][c];
        ll -= 0.5 * std::log(2.0 * std::numbers::pi * var_[label][c]) + 0.5 * d * d / var_[label][c];
      }
      joint[label] = ll;
    }
    // P(1 | x) = 1 / (1 + exp(joint0 - joint1)), stable for large log-likelihood gaps.
    double gap = joint[0] - joint[1];
    out[r] = gap > 0 ? std::exp(-gap) / (1.0 + std::exp(-gap)) : 1.0 / (1.0 + std::exp(gap));
  }
  return out;
}

Result<Json> GaussianNb::SaveState() const {
  return Json{{"epsilon", epsilon_},
              {"priors", DoublesToJson(prior_)},
              {"means_0", DoublesToJson(mean_[0])},
              {"means_1", DoublesToJson(mean_[1])},
              {"variances_0", DoublesToJson(var_[0])},
              {"variances_1", DoublesToJson(var_[1])}};
}

Status GaussianNb::LoadState(const Json& state) {
  size_t d = feature_count();
  ASSIGN_OR_RETURN(epsilon_, ReadDouble(state, "epsilon"));
  ASSIGN_OR_RETURN(std::vector<double> priors, ReadDoubles(state, "priors", 2));
  ASSIGN_OR_RETURN(mean_[0], ReadDoubles(state, "means_0", d));
  ASSIGN_OR_RETURN(mean_[1], ReadDoubles(state, "means_1", d));
  ASSIGN_OR_RETURN(var_[0], ReadDoubles(state, "variances_0", d));
  ASSIGN_OR_RETURN(var_[1], ReadDoubles(state, "variances_1", d));
  for (int label = 0; label < 2; ++label) {
    if (!(priors[label] > 0)) return Status::InvalidArgument("\"priors\" must be positive");
    for (double v : var_[label]) {
      if (!(v > 0)) return Status::InvalidArgument("variances must be positive");
    }
    prior_[label] = priors[label];
  }
  return Status::OK();
}

}  // namespace grove::ml
