#pragma once

// Synthetic data sets for the ml tests (header-only; not part of grove_ml).

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "common/file_util.h"

namespace grove::ml::testing {

// Label-first CSV rows: y = 10 + 3*x0 + 2*x1^2 - x2 + sin(3*x3) + noise,
// features uniform in [-1, 1]; `features` >= 4 (the rest are irrelevant).
// `flip` negates the signal (a validation set that disagrees with training).
inline std::string RegressionCsv(int rows, int features, unsigned seed, double noise, bool flip = false) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> x_dist(-1.0, 1.0);
  std::normal_distribution<double> noise_dist(0.0, noise);
  std::string out;
  std::vector<double> x(features);
  for (int r = 0; r < rows; ++r) {
    for (double& v : x) v = x_dist(rng);
    double signal = 3 * x[0] + 2 * x[1] * x[1] - x[2] + std::sin(3 * x[3]);
    double y = 10 + (flip ? -signal : signal) + (noise > 0 ? noise_dist(rng) : 0.0);
    out += std::to_string(y);
    for (double v : x) out += "," + std::to_string(v);
    out += "\n";
  }
  return out;
}

// Label-first CSV rows with a 0/1 label drawn with P(1) = sigmoid(4*x0 - 3*x1).
inline std::string BinaryCsv(int rows, int features, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> x_dist(-1.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::string out;
  std::vector<double> x(features);
  for (int r = 0; r < rows; ++r) {
    for (double& v : x) v = x_dist(rng);
    double p = 1.0 / (1.0 + std::exp(-(4 * x[0] - 3 * x[1])));
    out += u(rng) < p ? "1" : "0";
    for (double v : x) out += "," + std::to_string(v);
    out += "\n";
  }
  return out;
}

inline std::filesystem::path WriteText(const std::filesystem::path& path, const std::string& text) {
  Status s = WriteFileAtomic(path, text);
  if (!s.ok()) std::abort();
  return path;
}

}  // namespace grove::ml::testing
