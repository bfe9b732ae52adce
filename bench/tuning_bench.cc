// Model selection speed: seed 000's random search (60 trials x 5 folds,
// roc_auc, six families, the search space of examples/multimodel.yaml) on
// breast-cancer, with Grove's Tuner in this process against scikit-learn's
// RandomizedSearchCV (bench/tuning_python.py), both on the same number of
// worker threads/processes, measured in the same run. Times cover the search
// only (not loading Python or the data). Prints times, best CV scores, ratio;
// also Grove's Bayesian (TPE) search over the same space, for its best score.
//
// Usage: tuning_bench [workers] [trials]   (from anywhere; default 2 workers, 60 trials)

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "ml/model_test_data.h"
#include "ml/search_strategy.h"
#include "ml/tpe_search.h"
#include "ml/tuner.h"
#include "pipeline/yaml_reader.h"

namespace {

using grove::Json;

struct Side {
  double seconds = -1;
  double best_score = 0;
  std::string best_family;
};

// The search space of the example's Tuning step.
grove::Result<grove::ml::SearchSpace> ExampleSpace() {
  ASSIGN_OR_RETURN(grove::pipeline::Definition def, grove::pipeline::ReadDefinitionFile("examples/multimodel.yaml"));
  for (const auto& step : def.steps) {
    if (step.type == "Tuning") return grove::ml::ParseSearchSpace(step.arguments["search_space"]);
  }
  return grove::Status::NotFound("examples/multimodel.yaml has no Tuning step");
}

Side RunGrove(const grove::ml::SearchSpace& space, int workers, int trials, bool bayesian) {
  grove::ml::Dataset data = grove::ml::testing::BreastCancer();
  grove::ml::Scorer auc = grove::ml::Scorer::ByName("roc_auc").value();
  grove::ml::TrialScoring scoring;
  scoring.train = &data;
  scoring.scorer = &auc;
  scoring.folds = 5;
  scoring.seed = 42;
  grove::ml::TunerOptions options;
  options.workers = workers;
  grove::ml::BayesianOptions tpe;
  tpe.history_lag = workers - 1;
  auto strategy =
      bayesian ? grove::ml::MakeBayesianSearch(space, 42, trials, tpe) : grove::ml::MakeRandomSearch(space, 42, trials);
  auto start = std::chrono::steady_clock::now();
  auto results = grove::ml::Tuner(*strategy, scoring, options).Run();
  Side side;
  if (!results.ok()) {
    std::fprintf(stderr, "grove: %s\n", results.status().ToString().c_str());
    return side;
  }
  side.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto best = grove::ml::Tuner::Best(*results);
  if (best) {
    side.best_score = (*results)[*best].outcome.mean;
    side.best_family = (*results)[*best].spec.family;
  }
  return side;
}

Side RunPython(int workers, int trials) {
  std::string command = "/usr/bin/python3 bench/tuning_python.py datasets/breast-cancer/breast_cancer.csv " +
                        std::to_string(workers) + " " + std::to_string(trials) + " 2>/dev/null";
  Side side;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return side;
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  if (pclose(pipe) != 0) return side;
  Json line = Json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!line.is_object()) return side;
  side.seconds = line.value("seconds", -1.0);
  side.best_score = line.value("best_score", 0.0);
  side.best_family = line.value("best_family", "");
  return side;
}

}  // namespace

int main(int argc, char** argv) {
  int workers = argc > 1 ? std::atoi(argv[1]) : 2;
  int trials = argc > 2 ? std::atoi(argv[2]) : 60;
  if (chdir(GROVE_SOURCE_DIR) != 0) return 2;
  auto space = ExampleSpace();
  if (!space.ok()) {
    std::fprintf(stderr, "%s\n", space.status().ToString().c_str());
    return 2;
  }
  Side grove = RunGrove(*space, workers, trials, false);
  Side tpe = RunGrove(*space, workers, trials, true);
  Side python = RunPython(workers, trials);
  if (grove.seconds < 0 || python.seconds < 0) {
    std::fprintf(stderr, "a search failed (is python3-sklearn installed? scripts/setup.sh --bench)\n");
    return 1;
  }
  std::printf("Model selection on breast-cancer: %d trials x 5 folds, roc_auc, six families, %d workers\n", trials,
              workers);
  std::printf("  grove Tuner (random search)        %8.2f s   best CV roc_auc %.4f (%s)\n", grove.seconds,
              grove.best_score, grove.best_family.c_str());
  std::printf("  grove Tuner (bayesian, TPE)        %8.2f s   best CV roc_auc %.4f (%s)\n", tpe.seconds, tpe.best_score,
              tpe.best_family.c_str());
  std::printf("  scikit-learn RandomizedSearchCV    %8.2f s   best CV roc_auc %.4f (%s)\n", python.seconds,
              python.best_score, python.best_family.c_str());
  std::printf("  ratio python / grove (random)      %8.1fx\n", python.seconds / grove.seconds);
  bool met = python.seconds / grove.seconds >= 5 && grove.best_score >= python.best_score - 0.002;
  std::printf("  goal: >= 5x at an equal or better best score (within 0.002)   %s\n", met ? "met" : "NOT met");
  return 0;
}
