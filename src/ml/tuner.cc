#include "ml/tuner.h"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "ml/hyperparameter_value.h"

namespace grove::ml {

namespace {

std::string Describe(const TrialResult& r) {
  const TrialOutcome& o = r.outcome;
  std::string line = "trial " + std::to_string(r.spec.number) + " " + r.spec.family + " " +
                     r.spec.hyperparameters.dump() + ": " + o.status;
  if (!o.error.empty()) return line + ": " + o.error;
  line += " mean " + FormatNumber(o.mean) + " over " + std::to_string(o.fold_scores.size()) + " fold(s)";
  return line + (r.reused ? " (reused)" : " in " + std::to_string(o.duration_ms) + " ms");
}

}  // namespace

bool Tuner::GateOpen(int number, const std::map<int, TrialResult>& results) const {
  if (!scoring_.early_stopping.enabled || scoring_.validation != nullptr) return true;
  for (int k = 0; k < number - options_.lag; ++k) {
    if (!results.contains(k)) return false;
  }
  return true;
}

double Tuner::Reference(int number, const std::map<int, TrialResult>& results) const {
  double best = std::nan("");
  for (const auto& [k, r] : results) {
    if (k >= number - options_.lag) break;
    if (r.outcome.status == "Completed" && std::isfinite(r.outcome.mean) && !(r.outcome.mean <= best)) {
      best = r.outcome.mean;
    }
  }
  return best;
}

bool Tuner::Reusable(const TrialSpec& spec) const {
  auto it = options_.finished.find(spec.number);
  if (it == options_.finished.end()) return false;
  const TrialResult& old = it->second;
  bool finished = old.outcome.status == "Completed" || old.outcome.status == "Pruned";
  return finished && old.spec.family == spec.family && old.spec.hyperparameters == spec.hyperparameters;
}

Result<std::vector<TrialResult>> Tuner::Run() {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<TrialResult> done;  // Guarded by mu.
  std::map<int, std::thread> running;
  std::map<int, TrialResult> results;
  bool exhausted = false;
  int proposed = 0;
  Status failure;
  const int workers = std::max(1, options_.workers);
  auto finish = [&](TrialResult r) {
    strategy_.Report(r.spec.number, r.outcome.mean);
    Log(Describe(r));
    if (options_.on_finished && failure.ok()) failure = options_.on_finished(r);
    results[r.spec.number] = std::move(r);
  };
  while (true) {
    while (!Stopping() && !exhausted && failure.ok() && static_cast<int>(running.size()) < workers &&
           strategy_.Ready() && GateOpen(proposed, results)) {
      std::optional<TrialSpec> spec = strategy_.Next();
      if (!spec) {
        exhausted = true;
        break;
      }
      ++proposed;
      if (Reusable(*spec)) {
        TrialResult old = options_.finished.at(spec->number);
        old.reused = true;
        finish(std::move(old));
        continue;
      }
      double reference = Reference(spec->number, results);
      running.emplace(spec->number, std::thread([&, trial = *spec, reference] {
                        TrialResult r;
                        r.spec = trial;
                        r.started_at = options_.clock->Now();
                        r.outcome = RunTrial(trial, scoring_, reference, options_.stop);
                        r.ended_at = options_.clock->Now();
                        std::lock_guard<std::mutex> lock(mu);
                        done.push_back(std::move(r));
                        cv.notify_one();
                      }));
    }
    if (running.empty()) break;  // Done, stopped, or waiting on nothing that could come.
    TrialResult r;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !done.empty(); });
      r = std::move(done.front());
      done.pop_front();
    }
    running.at(r.spec.number).join();
    running.erase(r.spec.number);
    if (r.outcome.status.empty()) continue;  // Interrupted by a stop request: not finished.
    finish(std::move(r));
  }
  if (!failure.ok()) return failure;
  if (Stopping()) {
    return Status::Cancelled("the search was stopped after " + std::to_string(results.size()) + " finished trial(s)");
  }
  std::vector<TrialResult> out;
  for (auto& [number, r] : results) out.push_back(std::move(r));
  return out;
}

std::optional<size_t> Tuner::Best(const std::vector<TrialResult>& trials) {
  std::optional<size_t> best;
  for (size_t i = 0; i < trials.size(); ++i) {
    const TrialOutcome& o = trials[i].outcome;
    if (o.status != "Completed" || !std::isfinite(o.mean)) continue;
    if (!best || o.mean > trials[*best].outcome.mean ||
        (o.mean == trials[*best].outcome.mean && trials[i].spec.number < trials[*best].spec.number)) {
      best = i;
    }
  }
  return best;
}

}  // namespace grove::ml
