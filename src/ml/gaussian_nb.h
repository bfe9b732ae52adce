#pragma once

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "ml/model.h"

namespace grove::ml {

// Gaussian naive Bayes for 0/1 labels, as scikit-learn's GaussianNB: class
// priors are the class frequencies, each feature is normal within a class
// with the class's mean and population variance, and every variance gets
// epsilon = var_smoothing * (the largest variance of any feature over all
// training rows) added, so var_smoothing is honoured (the reference pipeline
// passed it under a wrong name and so ignored it).
//
// Hyperparameters:
//   var_smoothing  number >= 0    Default: 1e-9.
//   random_state   integer >= 0   Accepted for a uniform interface; fitting is deterministic.
class GaussianNb final : public Model {
 public:
  static Result<std::unique_ptr<Model>> Create(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return "gaussian_nb"; }

  // After Fit, per class 0 and 1: prior, feature means and (smoothed) variances.
  const std::array<double, 2>& priors() const { return prior_; }
  const std::vector<double>& means(int label) const { return mean_[label]; }
  const std::vector<double>& variances(int label) const { return var_[label]; }
  double epsilon() const { return epsilon_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;

 private:
  GaussianNb(TaskKind task, Json hyperparameters, double var_smoothing)
      : Model(task, std::move(hyperparameters)), var_smoothing_(var_smoothing) {}

  double var_smoothing_;
  double epsilon_ = 0;
  std::array<double, 2> prior_{};
  std::array<std::vector<double>, 2> mean_;
  std::array<std::vector<double>, 2> var_;
};

}  // namespace grove::ml
