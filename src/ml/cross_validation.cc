#include "ml/cross_validation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/random.h"

namespace grove::ml {

Result<std::vector<std::vector<size_t>>> KFoldTestIndices(std::span<const double> labels, int k, bool stratified,
                                                          uint64_t seed) {
  if (k < 2 || static_cast<size_t>(k) > labels.size()) {
    return Status::InvalidArgument("cross-validation needs 2 <= folds <= rows; got " + std::to_string(k) +
                                   " folds for " + std::to_string(labels.size()) + " rows");
  }
  std::vector<std::vector<size_t>> groups(stratified ? 2 : 1);
  for (size_t r = 0; r < labels.size(); ++r) {
    if (stratified && labels[r] != 0 && labels[r] != 1) {
      return Status::InvalidArgument("stratified folds need labels 0 or 1; row " + std::to_string(r + 1) + " has " +
                                     std::to_string(labels[r]));
    }
    groups[stratified ? static_cast<size_t>(labels[r]) : 0].push_back(r);
  }
  Random rng(seed);
  std::vector<std::vector<size_t>> folds(static_cast<size_t>(k));
  size_t position = 0;
  for (std::vector<size_t>& group : groups) {
    rng.Shuffle(group);
    for (size_t r : group) folds[position++ % folds.size()].push_back(r);
  }
  for (std::vector<size_t>& fold : folds) std::sort(fold.begin(), fold.end());
  return folds;
}

Result<CrossValidationResult> CrossValidate(std::string_view family, const Json& hyperparameters,
                                            const Dataset& data, const Scorer& scorer, int k, uint64_t seed,
                                            const ModelRegistry& registry) {
  return CrossValidateWhile(family, hyperparameters, data, scorer, k, seed, KeepGoing(), registry);
}

Result<CrossValidationResult> CrossValidateWhile(std::string_view family, const Json& hyperparameters,
                                                 const Dataset& data, const Scorer& scorer, int k, uint64_t seed,
                                                 const KeepGoing& keep_going, const ModelRegistry& registry) {
  const TaskKind task = scorer.task();
  // Checks family and hyperparameters once, before any fold.
  RETURN_IF_ERROR(registry.Validate(family, hyperparameters, task));
  if (task == TaskKind::kBinaryClassification) RETURN_IF_ERROR(CheckTrainingData(data, task, "cross-validation"));
  ASSIGN_OR_RETURN(std::vector<std::vector<size_t>> folds,
                   KFoldTestIndices(data.labels, k, task == TaskKind::kBinaryClassification, seed));
  CrossValidationResult result;
  std::vector<char> in_test(data.rows);
  for (size_t f = 0; f < folds.size(); ++f) {
    std::fill(in_test.begin(), in_test.end(), 0);
    for (size_t r : folds[f]) in_test[r] = 1;
    std::vector<size_t> train_rows;
    train_rows.reserve(data.rows - folds[f].size());
    for (size_t r = 0; r < data.rows; ++r) {
      if (!in_test[r]) train_rows.push_back(r);
    }
    std::string where = "fold " + std::to_string(f + 1) + " of " + std::to_string(folds.size());
    ASSIGN_OR_RETURN(std::unique_ptr<Model> model, registry.Create(family, hyperparameters, task));
    Status fit = model->Fit(data.Subset(train_rows));
    if (!fit.ok()) return fit.WithContext(where);
    Result<double> score = scorer.Score(*model, data.Subset(folds[f]));
    if (!score.ok()) return score.status().WithContext(where);
    result.fold_scores.push_back(*score);
    if (f + 1 < folds.size() && keep_going && !keep_going(result.fold_scores)) {
      result.stopped_early = true;
      break;
    }
  }
  double sum = 0;
  for (double s : result.fold_scores) sum += s;
  result.mean = sum / static_cast<double>(result.fold_scores.size());
  double squares = 0;
  for (double s : result.fold_scores) squares += (s - result.mean) * (s - result.mean);
  result.standard_deviation = std::sqrt(squares / static_cast<double>(result.fold_scores.size()));
  return result;
}

}  // namespace grove::ml
