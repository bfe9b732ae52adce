#include "ml/scorer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "ml/metrics.h"

namespace grove::ml {
namespace {

struct Entry {
  const char* name;
  Scorer::Input input;
};

constexpr Entry kScorers[] = {
    {"accuracy", Scorer::Input::kLabels},
    {"balanced_accuracy", Scorer::Input::kLabels},
    {"precision", Scorer::Input::kLabels},
    {"recall", Scorer::Input::kLabels},
    {"f1", Scorer::Input::kLabels},
    {"roc_auc", Scorer::Input::kProbabilities},
    {"average_precision", Scorer::Input::kProbabilities},
    {"neg_log_loss", Scorer::Input::kProbabilities},
    {"r2", Scorer::Input::kValues},
    {"neg_mean_squared_error", Scorer::Input::kValues},
    {"neg_root_mean_squared_error", Scorer::Input::kValues},
    {"neg_mean_absolute_error", Scorer::Input::kValues},
};

double BalancedAccuracy(const ConfusionMatrix& m) {
  double sum = 0;
  int classes = 0;
  if (m.tp + m.fn > 0) {
    sum += static_cast<double>(m.tp) / static_cast<double>(m.tp + m.fn);
    ++classes;
  }
  if (m.tn + m.fp > 0) {
    sum += static_cast<double>(m.tn) / static_cast<double>(m.tn + m.fp);
    ++classes;
  }
  return classes == 0 ? std::nan("") : sum / classes;
}

}  // namespace

const std::vector<std::string>& Scorer::Names() {
  static const std::vector<std::string>* names = [] {
    auto* out = new std::vector<std::string>();
    for (const Entry& e : kScorers) out->push_back(e.name);
    return out;
  }();
  return *names;
}

Result<Scorer> Scorer::ByName(std::string_view name) {
  for (const Entry& e : kScorers) {
    if (name == e.name) return Scorer(e.name, e.input);
  }
  std::string valid;
  for (const std::string& n : Names()) valid += (valid.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown scorer \"" + std::string(name) + "\"; valid: " + valid);
}

double Scorer::Score(std::span<const double> truth, std::span<const double> predictions) const {
  if (input_ == Input::kLabels) {
    // Labels are 0/1, so "> 0.5" reads them back exactly.
    ConfusionMatrix m = BinaryConfusionMatrix(truth, predictions, 0.5);
    if (name_ == "accuracy") return Accuracy(m);
    if (name_ == "balanced_accuracy") return BalancedAccuracy(m);
    if (name_ == "precision") return Precision(m);
    if (name_ == "recall") return Recall(m);
    return F1Score(m);
  }
  if (name_ == "roc_auc") return RocAuc(truth, predictions);
  if (name_ == "average_precision") return AveragePrecision(truth, predictions);
  if (name_ == "neg_log_loss") return -LogLoss(truth, predictions);
  if (name_ == "r2") return R2Score(truth, predictions);
  if (name_ == "neg_mean_squared_error") return -MeanSquaredError(truth, predictions);
  if (name_ == "neg_root_mean_squared_error") return -RootMeanSquaredError(truth, predictions);
  return -MeanAbsoluteError(truth, predictions);
}

Result<double> Scorer::Score(const Model& model, const Dataset& data) const {
  if (model.task() != task()) {
    return Status::InvalidArgument("scorer " + name_ + " is for " + std::string(TaskKindName(task())) + ", but " +
                                   std::string(model.family()) + " was made for " +
                                   std::string(TaskKindName(model.task())));
  }
  Result<std::vector<double>> predictions =
      input_ == Input::kProbabilities ? model.PredictProba(data.View()) : model.Predict(data.View());
  if (!predictions.ok()) return predictions.status();
  return Score(data.labels, *predictions);
}

double AveragePrecision(std::span<const double> labels, std::span<const double> scores) {
  std::vector<size_t> order(labels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  double positives = 0;
  for (double y : labels) positives += y != 0;
  if (positives == 0) return 0.0;  // scikit-learn: recall is undefined; it returns 0 (with a warning).
  double tp = 0, fp = 0, previous_recall = 0, ap = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    (labels[order[i]] != 0 ? tp : fp) += 1;
    // One point per distinct score: ties enter together.
    if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) continue;
    double recall = tp / positives;
    ap += (recall - previous_recall) * (tp / (tp + fp));
    previous_recall = recall;
  }
  return ap;
}

double LogLoss(std::span<const double> labels, std::span<const double> probabilities) {
  constexpr double kClip = std::numeric_limits<double>::epsilon();
  double sum = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    double p = std::clamp(probabilities[i], kClip, 1 - kClip);
    sum -= labels[i] != 0 ? std::log(p) : std::log(1 - p);
  }
  return labels.empty() ? std::nan("") : sum / static_cast<double>(labels.size());
}

}  // namespace grove::ml
