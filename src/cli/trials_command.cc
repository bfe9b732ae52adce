#include "cli/trials_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/executions.h"
#include "app/record_json.h"
#include "cli/output.h"

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

void PrintStepTrials(const app::StepTrials& step, const std::string& own_execution) {
  const std::vector<store::TrialRecord>& trials = step.trials;
  std::cout << "==> " << step.step << ": " << trials.size() << " trial(s)";
  if (step.best >= 0) std::cout << ", best #" << step.best;
  if (!trials.empty() && trials.front().execution_id != own_execution) {
    std::cout << " (cache hit: trials of execution " << trials.front().execution_id << ")";
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const store::TrialRecord& t : trials) {
    std::string number = t.number == step.best ? "*" : " ";
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
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto steps = app::Executions(**home).Trials(execution_id, step);
  if (!steps.ok()) return ReportError(steps.status());
  if (global.json) {
    PrintJson(std::cout, app::TrialsJson(*steps));
    return kExitOk;
  }
  for (const app::StepTrials& s : *steps) PrintStepTrials(s, execution_id);
  if (steps->empty()) std::cout << "execution " << execution_id << " has no tuning trials\n";
  return kExitOk;
}

}  // namespace grove::cli
