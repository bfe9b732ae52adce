#include "cli/trials_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/home.h"
#include "cli/output.h"
#include "pipeline/steps/tuning_results.h"

namespace grove::cli {

namespace {

std::string Score(double v) {
  if (!std::isfinite(v)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", v);
  return buffer;
}

std::string FoldScores(const Json& scores) {
  std::string out;
  for (const Json& s : scores) {
    if (!out.empty()) out += ' ';
    out += Score(s.is_number() ? s.get<double>() : NAN);
  }
  return out;
}

// The trials of one step run: its own, or those of the execution it was a cache hit of.
Result<std::vector<store::TrialRecord>> StepTrials(store::MetadataStore* metadata, const store::StepRunRecord& run) {
  ASSIGN_OR_RETURN(std::vector<store::TrialRecord> trials, metadata->ListTrials(run.execution_id, run.step_name));
  if (!trials.empty() || run.cache_hit_source.empty()) return trials;
  return metadata->ListTrials(run.cache_hit_source, run.step_name);
}

// The number of the best trial, by the Tuning step's own rule.
int BestNumber(const std::vector<store::TrialRecord>& trials) {
  std::vector<ml::TrialResult> results;
  for (const store::TrialRecord& t : trials) results.push_back(pipeline::FromTrialRecord(t));
  std::optional<size_t> best = ml::Tuner::Best(results);
  return best ? results[*best].spec.number : -1;
}

Json TrialJson(const store::TrialRecord& t, const std::string& step, bool best) {
  return Json{{"step", step},
              {"execution_id", t.execution_id},
              {"number", t.number},
              {"family", t.family},
              {"hyperparameters", t.hyperparameters},
              {"fold_scores", t.fold_scores},
              {"mean_score", std::isfinite(t.mean_score) ? Json(t.mean_score) : Json()},
              {"status", t.status},
              {"duration_ms", t.duration_ms},
              {"error", t.error},
              {"best", best}};
}

void PrintStepTrials(const std::string& step, const std::vector<store::TrialRecord>& trials, int best,
                     const std::string& own_execution) {
  std::cout << "==> " << step << ": " << trials.size() << " trial(s)";
  if (best >= 0) std::cout << ", best #" << best;
  if (!trials.empty() && trials.front().execution_id != own_execution) {
    std::cout << " (cache hit: trials of execution " << trials.front().execution_id << ")";
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const store::TrialRecord& t : trials) {
    std::string number = t.number == best ? "*" : " ";
    number += std::to_string(t.number);
    std::string status = t.status;
    if (!t.error.empty()) status += ": " + t.error;
    rows.push_back({number, t.family, Score(t.mean_score), FoldScores(t.fold_scores),
                    std::to_string(t.duration_ms) + " ms", status, t.hyperparameters.dump()});
  }
  // Hyperparameters last: they are the widest column.
  PrintTable(std::cout, {"TRIAL", "FAMILY", "MEAN", "FOLD SCORES", "DURATION", "STATUS", "HYPERPARAMETERS"}, rows);
}

}  // namespace

int ExecutionTrials(const GlobalOptions& global, const std::string& execution_id, const std::string& step) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  store::MetadataStore* metadata = (*home)->metadata();
  auto runs = metadata->ListStepRuns(execution_id);
  if (!runs.ok()) return ReportError(runs.status());
  Json out = Json::array();
  bool found = false;
  for (const store::StepRunRecord& run : *runs) {
    if (!step.empty() && run.step_name != step) continue;
    auto trials = StepTrials(metadata, run);
    if (!trials.ok()) return ReportError(trials.status());
    if (trials->empty() && step.empty()) continue;
    found = true;
    int best = BestNumber(*trials);
    if (!global.json) {
      PrintStepTrials(run.step_name, *trials, best, execution_id);
      continue;
    }
    for (const store::TrialRecord& t : *trials) out.push_back(TrialJson(t, run.step_name, t.number == best));
  }
  if (!step.empty() && !found) {
    return ReportError(Status::NotFound("execution " + execution_id + " has no step run '" + step + "'"));
  }
  if (global.json) {
    PrintJson(std::cout, out);
  } else if (!found) {
    std::cout << "execution " << execution_id << " has no tuning trials\n";
  }
  return kExitOk;
}

}  // namespace grove::cli
