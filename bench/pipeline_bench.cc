// Wall time of the Abalone pipeline from a cold cache: `grove run
// examples/abalone.yaml` in a fresh data folder each time, against the same
// pipeline as one Python script (bench/abalone_python.py: pandas, scikit-learn,
// xgboost), measured in the same run. Prints the medians and their ratio. The
// Grove figure uses the in-process launcher (the default); the same pipeline
// with `--launcher subprocess` (each step attempt a `grove step-run` process)
// gives the cost of that isolation per step.
//
// Usage: pipeline_bench [runs]   (from the source tree; default 7 runs each)

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/file_util.h"

namespace {

namespace fs = std::filesystem;

// Runs argv to its end with output discarded; returns seconds, or -1 on failure.
double TimeCommand(const std::vector<std::string>& argv, const fs::path& home) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    setenv("GROVE_HOME", home.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? seconds : -1;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 7;
  if (chdir(GROVE_SOURCE_DIR) != 0) return 2;
  constexpr int kAbaloneSteps = 5;  // Process, Train, Eval, the condition, Register.
  std::vector<double> grove, python, subprocess;
  for (int i = 0; i < runs; ++i) {
    grove::TempDir home;  // A fresh data folder: nothing cached.
    double g = TimeCommand({GROVE_BINARY, "run", "examples/abalone.yaml", "-q"}, home.path());
    double p = TimeCommand({"/usr/bin/python3", "bench/abalone_python.py", "datasets/abalone/abalone-dataset.csv"},
                           home.path());
    grove::TempDir sub_home;
    double s = TimeCommand({GROVE_BINARY, "run", "examples/abalone.yaml", "-q", "--launcher", "subprocess"},
                           sub_home.path());
    if (g < 0 || p < 0 || s < 0) {
      std::fprintf(stderr, "a run failed (grove %.3f, python %.3f)\n", g, p);
      return 1;
    }
    grove.push_back(g);
    python.push_back(p);
    subprocess.push_back(s);
  }
  double g = Median(grove), p = Median(python), s = Median(subprocess);
  std::printf("Abalone pipeline, cold cache, median of %d runs (wall time, whole process)\n", runs);
  std::printf("  grove run examples/abalone.yaml   %8.1f ms   (min %.1f; launcher in-process)\n", g * 1000,
              *std::min_element(grove.begin(), grove.end()) * 1000);
  std::printf("  python3 abalone_python.py         %8.1f ms   (min %.1f)\n", p * 1000,
              *std::min_element(python.begin(), python.end()) * 1000);
  std::printf("  ratio python / grove              %8.1fx\n", p / g);
  std::printf("  goal: grove < 150 ms and >= 10x   %s\n", g < 0.150 && p / g >= 10 ? "met" : "NOT met");
  std::printf("  --launcher subprocess             %8.1f ms   (min %.1f): %+.1f ms per step over in-process\n",
              s * 1000, *std::min_element(subprocess.begin(), subprocess.end()) * 1000,
              (s - g) * 1000 / kAbaloneSteps);
  return 0;
}
