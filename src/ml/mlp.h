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

// A multi-layer perceptron for 0/1 labels trained with Adam, following
// scikit-learn's MLPClassifier(solver="adam") step for step: Glorot-uniform
// initial weights and biases (bound sqrt(f / (fan_in + fan_out)), f = 2 for
// logistic, else 6), one logistic output unit with log loss, the L2 term
// alpha/2 * |W|^2 / batch rows, batches of min(200, n) rows in an order
// reshuffled every epoch, and a stop once the epoch loss has not improved by
// tol for more than n_iter_no_change epochs in a row. Features are
// standardised first (as make_pipeline(StandardScaler(), MLPClassifier(...))),
// since unscaled inputs such as breast-cancer's saturate the units.
//
// Hyperparameters (scikit-learn's names and defaults):
//   hidden_layer_sizes  "100", "50,50", [50, 50] (positive integers)   Default: "100".
//   activation          "relu" | "logistic" | "tanh"                  Default: "relu".
//   learning_rate_init  number > 0                                    Default: 0.001.
//   alpha               number >= 0                                   Default: 0.0001.
//   max_iter            integer >= 1 (epochs)                         Default: 200.
//   batch_size          integer >= 1 or "auto" (min(200, n))          Default: "auto".
//   tol                 number >= 0                                   Default: 1e-4.
//   n_iter_no_change    integer >= 1                                  Default: 10.
//   random_state        integer >= 0 (initial weights and batch order) Default: 0.
class Mlp final : public Model {
 public:
  static Result<std::unique_ptr<Model>> Create(const Json& hyperparameters, TaskKind task);

  std::string_view family() const override { return "mlp"; }

  // After Fit: epochs run and the mean training loss of each.
  int epochs() const { return static_cast<int>(loss_curve_.size()); }
  const std::vector<double>& loss_curve() const { return loss_curve_; }

 protected:
  Status FitImpl(const Dataset& data) override;
  Result<std::vector<double>> PredictImpl(const Features& x) const override;
  Result<Json> SaveState() const override;
  Status LoadState(const Json& state) override;

 private:
  enum class Activation { kRelu, kLogistic, kTanh };
  struct Options {
    std::vector<int64_t> hidden = {100};
    Activation activation = Activation::kRelu;
    double learning_rate = 1e-3;
    double alpha = 1e-4;
    int64_t max_iter = 200;
    int64_t batch_size = 0;  // 0: auto.
    double tol = 1e-4;
    int64_t n_iter_no_change = 10;
    uint64_t seed = 0;
  };
  // One dense layer: fan_in x fan_out weights (row-major) and fan_out biases.
  struct Layer {
    size_t fan_in = 0;
    size_t fan_out = 0;
    std::vector<double> weights;
    std::vector<double> biases;
  };
  Mlp(TaskKind task, Json hyperparameters, Options options)
      : Model(task, std::move(hyperparameters)), options_(std::move(options)) {}

  Options options_;
  Standardizer standardizer_;
  std::vector<Layer> layers_;
  std::vector<double> loss_curve_;
};

}  // namespace grove::ml
