#include "ml/mlp.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ml/hyperparameter_reader.h"
#include "ml/model_state.h"
#include "ml/sigmoid.h"
#include "common/random.h"

namespace grove::ml {
namespace {

using Matrix = Eigen::MatrixXd;
using RowVector = Eigen::RowVectorXd;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Adam's constants (scikit-learn's defaults).
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kAdamEpsilon = 1e-8;

// Adam's moment estimates for one parameter block.
struct Moments {
  Matrix m, v;
  explicit Moments(const Matrix& like) : m(Matrix::Zero(like.rows(), like.cols())), v(m) {}
  void Step(Matrix& param, const Matrix& grad, double lr_t) {
    m = kBeta1 * m + (1 - kBeta1) * grad;
    v = kBeta2 * v + (1 - kBeta2) * grad.cwiseProduct(grad);
    param.array() -= lr_t * m.array() / (v.array().sqrt() + kAdamEpsilon);
  }
};


}  // namespace

Result<std::unique_ptr<Model>> Mlp::Create(const Json& hyperparameters, TaskKind task) {
  HyperparameterReader r("mlp", hyperparameters);
  Options o;
  o.hidden = r.PositiveIntegerList("hidden_layer_sizes", {100});
  std::string activation = r.Choice("activation", "relu", {"relu", "logistic", "tanh"});
  o.activation = activation == "logistic" ? Activation::kLogistic
                 : activation == "tanh"   ? Activation::kTanh
                                          : Activation::kRelu;
  o.learning_rate = r.Number("learning_rate_init", 1e-3, {.lo = 0, .lo_open = true});
  o.alpha = r.Number("alpha", 1e-4, {.lo = 0});
  o.max_iter = r.Integer("max_iter", 200, {.lo = 1});
  if (r.Has("batch_size") && hyperparameters.at("batch_size") != "auto") {
    o.batch_size = r.Integer("batch_size", 0, {.lo = 1});
  } else {
    r.Choice("batch_size", "auto", {"auto"});
  }
  o.tol = r.Number("tol", 1e-4, {.lo = 0});
  o.n_iter_no_change = r.Integer("n_iter_no_change", 10, {.lo = 1});
  o.seed = static_cast<uint64_t>(r.Integer("random_state", 0, {.lo = 0}));
  for (int64_t units : o.hidden) {
    if (units > 100000) r.AddError("hidden_layer_sizes", "at most 100000 units per layer");
  }
  RETURN_IF_ERROR(r.Finish());
  return std::unique_ptr<Model>(new Mlp(task, hyperparameters, std::move(o)));
}

Status Mlp::FitImpl(const Dataset& data) {
  standardizer_.Fit(data.View());
  std::vector<double> scaled = standardizer_.Transform(data.View());
  const Eigen::Index n = static_cast<Eigen::Index>(data.rows);
  const Matrix x = Eigen::Map<const RowMajor>(scaled.data(), n, static_cast<Eigen::Index>(data.cols));
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(data.labels.data(), n);

  // Layer sizes: inputs, hidden..., one output.
  std::vector<Eigen::Index> sizes = {static_cast<Eigen::Index>(data.cols)};
  for (int64_t h : options_.hidden) sizes.push_back(static_cast<Eigen::Index>(h));
  sizes.push_back(1);
  const size_t depth = sizes.size() - 1;
  Random rng(options_.seed);
  std::vector<Matrix> w(depth), b(depth);  // b: 1 x fan_out.
  const double factor = options_.activation == Activation::kLogistic ? 2.0 : 6.0;
  for (size_t l = 0; l < depth; ++l) {
    double bound = std::sqrt(factor / static_cast<double>(sizes[l] + sizes[l + 1]));
    w[l].resize(sizes[l], sizes[l + 1]);
    b[l].resize(1, sizes[l + 1]);
    for (Eigen::Index i = 0; i < w[l].rows(); ++i) {
      for (Eigen::Index j = 0; j < w[l].cols(); ++j) w[l](i, j) = rng.Uniform(-bound, bound);
    }
    for (Eigen::Index j = 0; j < b[l].cols(); ++j) b[l](0, j) = rng.Uniform(-bound, bound);
  }
  std::vector<Moments> mw, mb;
  for (size_t l = 0; l < depth; ++l) {
    mw.emplace_back(w[l]);
    mb.emplace_back(b[l]);
  }

  const Eigen::Index batch = std::min<Eigen::Index>(options_.batch_size > 0 ? options_.batch_size : 200, n);
  const double eps = std::numeric_limits<double>::epsilon();
  std::vector<Eigen::Index> order(n);
  for (Eigen::Index i = 0; i < n; ++i) order[i] = i;
  std::vector<Matrix> a(depth + 1);
  double best_loss = std::numeric_limits<double>::infinity();
  int64_t no_improvement = 0;
  int64_t t = 0;
  loss_curve_.clear();
  for (int64_t epoch = 0; epoch < options_.max_iter; ++epoch) {
    rng.Shuffle(order);
    double accumulated = 0;
    for (Eigen::Index start = 0; start < n; start += batch) {
      const Eigen::Index rows = std::min(batch, n - start);
      std::vector<Eigen::Index> idx(order.begin() + start, order.begin() + start + rows);
      a[0] = x(idx, Eigen::all);
      Eigen::VectorXd yb = y(idx);
      for (size_t l = 0; l < depth; ++l) {
        Matrix z = a[l] * w[l];
        z.rowwise() += b[l].row(0);
        if (l + 1 == depth) {
          a[l + 1] = z.unaryExpr([](double v) { return Sigmoid(v); });
        } else if (options_.activation == Activation::kRelu) {
          a[l + 1] = z.cwiseMax(0.0);
        } else if (options_.activation == Activation::kLogistic) {
          a[l + 1] = z.unaryExpr([](double v) { return Sigmoid(v); });
        } else {
          a[l + 1] = z.array().tanh().matrix();
        }
      }
      Eigen::VectorXd p = a[depth].col(0).cwiseMax(eps).cwiseMin(1 - eps);
      double loss = 0;
      for (Eigen::Index i = 0; i < rows; ++i) loss -= yb[i] * std::log(p[i]) + (1 - yb[i]) * std::log(1 - p[i]);
      loss /= static_cast<double>(rows);
      double squares = 0;
      for (const Matrix& wl : w) squares += wl.squaredNorm();
      loss += 0.5 * options_.alpha * squares / static_cast<double>(rows);
      accumulated += loss * static_cast<double>(rows);

      // Backpropagation; the Adam step of each layer uses gradients from the unchanged weights.
      Matrix delta = a[depth] - yb;
      ++t;
      const double lr_t = options_.learning_rate * std::sqrt(1 - std::pow(kBeta2, static_cast<double>(t))) /
                          (1 - std::pow(kBeta1, static_cast<double>(t)));
      for (size_t l = depth; l-- > 0;) {
        Matrix grad_w = (a[l].transpose() * delta + options_.alpha * w[l]) / static_cast<double>(rows);
        Matrix grad_b = delta.colwise().mean();
        if (l > 0) {
          Matrix back = delta * w[l].transpose();
          if (options_.activation == Activation::kRelu) {
            back = (a[l].array() > 0).select(back, 0.0);
          } else if (options_.activation == Activation::kLogistic) {
            back.array() *= a[l].array() * (1 - a[l].array());
          } else {
            back.array() *= 1 - a[l].array().square();
          }
          delta = std::move(back);
        }
        mw[l].Step(w[l], grad_w, lr_t);
        mb[l].Step(b[l], grad_b, lr_t);
      }
    }
    double epoch_loss = accumulated / static_cast<double>(n);
    if (!std::isfinite(epoch_loss)) {
      return Status::InvalidArgument("mlp: training diverged (loss is not finite); lower learning_rate_init");
    }
    loss_curve_.push_back(epoch_loss);
    no_improvement = epoch_loss > best_loss - options_.tol ? no_improvement + 1 : 0;
    best_loss = std::min(best_loss, epoch_loss);
    if (no_improvement > options_.n_iter_no_change) break;
  }

  layers_.assign(depth, Layer{});
  for (size_t l = 0; l < depth; ++l) {
    RowMajor wr = w[l];
    layers_[l] = Layer{static_cast<size_t>(sizes[l]), static_cast<size_t>(sizes[l + 1]),
                       std::vector<double>(wr.data(), wr.data() + wr.size()),
                       std::vector<double>(b[l].data(), b[l].data() + b[l].size())};
  }
  return Status::OK();
}

Result<std::vector<double>> Mlp::PredictImpl(const Features& x) const {
  std::vector<double> scaled = standardizer_.Transform(x);
  Matrix a = Eigen::Map<const RowMajor>(scaled.data(), static_cast<Eigen::Index>(x.rows),
                                        static_cast<Eigen::Index>(x.cols));
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Layer& layer = layers_[l];
    Matrix z = a * Eigen::Map<const RowMajor>(layer.weights.data(), static_cast<Eigen::Index>(layer.fan_in),
                                              static_cast<Eigen::Index>(layer.fan_out));
    z.rowwise() += Eigen::Map<const Eigen::RowVectorXd>(layer.biases.data(), static_cast<Eigen::Index>(layer.fan_out));
    if (l + 1 == layers_.size() || options_.activation == Activation::kLogistic) {
      a = z.unaryExpr([](double v) { return Sigmoid(v); });
    } else if (options_.activation == Activation::kRelu) {
      a = z.cwiseMax(0.0);
    } else {
      a = z.array().tanh().matrix();
    }
  }
  return std::vector<double>(a.data(), a.data() + a.rows());
}

Result<Json> Mlp::SaveState() const {
  Json layers = Json::array();
  for (const Layer& l : layers_) {
    layers.push_back(Json{{"fan_in", l.fan_in},
                          {"fan_out", l.fan_out},
                          {"weights", DoublesToJson(l.weights)},
                          {"biases", DoublesToJson(l.biases)}});
  }
  return Json{{"standardizer", standardizer_.Save()}, {"layers", std::move(layers)},
              {"loss_curve", DoublesToJson(loss_curve_)}};
}

Status Mlp::LoadState(const Json& state) {
  if (!state.is_object() || !state.contains("standardizer") || !state.contains("layers") ||
      !state.at("layers").is_array()) {
    return Status::InvalidArgument("needs \"standardizer\" and \"layers\"");
  }
  RETURN_IF_ERROR(standardizer_.Load(state.at("standardizer")));
  size_t fan_in = feature_count();
  if (standardizer_.cols() != fan_in) return Status::InvalidArgument("standardizer size differs from \"features\"");
  std::vector<Layer> layers;
  for (const Json& l : state.at("layers")) {
    Layer layer;
    ASSIGN_OR_RETURN(layer.fan_in, ReadSize(l, "fan_in"));
    ASSIGN_OR_RETURN(layer.fan_out, ReadSize(l, "fan_out"));
    if (layer.fan_in != fan_in || layer.fan_out == 0) return Status::InvalidArgument("layer sizes do not chain");
    ASSIGN_OR_RETURN(layer.weights, ReadDoubles(l, "weights", layer.fan_in * layer.fan_out));
    ASSIGN_OR_RETURN(layer.biases, ReadDoubles(l, "biases", layer.fan_out));
    fan_in = layer.fan_out;
    layers.push_back(std::move(layer));
  }
  if (layers.empty() || fan_in != 1) return Status::InvalidArgument("the last layer must have one output");
  layers_ = std::move(layers);
  if (state.contains("loss_curve")) {
    ASSIGN_OR_RETURN(loss_curve_, ReadDoubles(state, "loss_curve"));
  }
  return Status::OK();
}

}  // namespace grove::ml
