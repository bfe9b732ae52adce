#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "ml/search_strategy.h"
#include "ml/trial_runner.h"

namespace grove::ml {

// A finished trial: what was tried and how it scored.
struct TrialResult {
  TrialSpec spec;
  TrialOutcome outcome;
  TimeMs started_at = 0;
  TimeMs ended_at = 0;
  bool reused = false;  // Taken from `TunerOptions::finished` instead of run.
};

struct TunerOptions {
  // Trials run at once, each on its own thread. Default: 1.
  int workers = 1;
  // With early stopping, trial k is compared with the best completed trial
  // among 0 .. k - 1 - lag and starts only once those have all finished, so
  // the outcome of every trial is the same however the trials are scheduled.
  // Set it to (maximum parallel trials - 1).
  int lag = 0;
  // Trials finished by an earlier attempt of the same search, by number: a
  // proposed trial whose family and hyperparameters match is not run again.
  std::map<int, TrialResult> finished;
  // Called for every trial, one at a time, as it finishes or is reused (so a
  // search resumed from another execution's trials records them in its own);
  // an error ends the search (after the running trials) with that error.
  std::function<Status(const TrialResult&)> on_finished;
  std::function<void(const std::string&)> log;
  const std::atomic<bool>* stop = nullptr;
  const Clock* clock = SystemClock::Default();
};

// Runs a search: proposes trials from the strategy, runs up to `workers` at
// once (RunTrial), and reports each score back to the strategy as it finishes
// (ninja's Builder loop: start what may start, wait for one, finish it).
// Thread safety: one Run at a time.
class Tuner {
 public:
  Tuner(SearchStrategy& strategy, const TrialScoring& scoring, TunerOptions options)
      : strategy_(strategy), scoring_(scoring), options_(std::move(options)) {}

  // Every trial, by number. Cancelled when stopped (finished trials were
  // already passed to on_finished).
  Result<std::vector<TrialResult>> Run();

  // The index of the best Completed trial with a finite mean (ties: the
  // lowest number), or nullopt when there is none.
  static std::optional<size_t> Best(const std::vector<TrialResult>& trials);

 private:
  bool Stopping() const { return options_.stop != nullptr && options_.stop->load(); }
  // Whether trial `number` may start, given the finished trials.
  bool GateOpen(int number, const std::map<int, TrialResult>& results) const;
  // The early-stopping reference of trial `number` (NaN: none).
  double Reference(int number, const std::map<int, TrialResult>& results) const;
  bool Reusable(const TrialSpec& spec) const;
  void Log(const std::string& line) const {
    if (options_.log) options_.log(line);
  }

  SearchStrategy& strategy_;
  const TrialScoring& scoring_;
  TunerOptions options_;
};

}  // namespace grove::ml
