#include "ml/trial_runner.h"

#include <chrono>
#include <cmath>

#include "ml/cross_validation.h"

namespace grove::ml {

namespace {

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? std::nan("") : sum / static_cast<double>(values.size());
}

Result<double> HoldOutScore(const TrialSpec& trial, const TrialScoring& scoring) {
  ASSIGN_OR_RETURN(std::unique_ptr<Model> model,
                   scoring.registry->Create(trial.family, trial.hyperparameters, scoring.scorer->task()));
  RETURN_IF_ERROR(model->Fit(*scoring.train));
  return scoring.scorer->Score(*model, *scoring.validation);
}

}  // namespace

TrialOutcome RunTrial(const TrialSpec& trial, const TrialScoring& scoring, double reference,
                      const std::atomic<bool>* stop) {
  auto start = std::chrono::steady_clock::now();
  TrialOutcome out;
  bool cut = false;
  auto stopping = [stop] { return stop != nullptr && stop->load(); };
  if (stopping()) return out;  // Started just as the search was stopped: nothing to do or record.
  if (scoring.validation != nullptr) {
    Result<double> score = HoldOutScore(trial, scoring);
    if (score.ok()) {
      out.fold_scores.push_back(*score);
    } else {
      out.error = score.status().message();
    }
  } else {
    const EarlyStopping& rule = scoring.early_stopping;
    KeepGoing keep_going = [&](std::span<const double> scores) {
      if (stopping()) return false;
      if (!rule.enabled || std::isnan(reference) || static_cast<int>(scores.size()) < rule.min_folds) return true;
      double sum = 0;
      for (double s : scores) sum += s;
      return !(sum / static_cast<double>(scores.size()) < reference - rule.tolerance);
    };
    auto cv = CrossValidateWhile(trial.family, trial.hyperparameters, *scoring.train, *scoring.scorer, scoring.folds,
                                 scoring.seed, keep_going, *scoring.registry);
    if (cv.ok()) {
      out.fold_scores = cv->fold_scores;
      cut = cv->stopped_early;
    } else {
      out.error = cv.status().message();
    }
  }
  out.mean = out.error.empty() ? Mean(out.fold_scores) : std::nan("");
  if (!out.error.empty()) {
    out.status = stopping() ? "" : "Failed";
  } else if (cut) {
    out.status = stopping() ? "" : "Pruned";
  } else {
    out.status = "Completed";
  }
  out.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace grove::ml
