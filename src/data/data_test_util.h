#pragma once

// Helpers shared by the data subsystem's tests (not part of grove_data).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/json.h"

namespace grove::data::testing {

inline std::filesystem::path SourceDir() {
  const char* env = std::getenv("GROVE_SOURCE_DIR");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path(GROVE_SOURCE_DIR);
}

inline std::string AbalonePath() { return (SourceDir() / "datasets/abalone/abalone-dataset.csv").string(); }
inline std::string ChurnPath() { return (SourceDir() / "datasets/customer-churn-synthetic/churn.txt").string(); }

// The Abalone preparation of seed-pipelines.md section 2.
inline Json AbaloneArgs() {
  Json args = Json::parse(R"({
    "header": false,
    "columns": ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight",
                "shell_weight", "rings"],
    "label": "rings",
    "transforms": [
      {"columns": ["length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight", "shell_weight"],
       "impute": "median", "scale": "standard"},
      {"columns": ["sex"], "impute": {"constant": "missing"}, "one_hot": {"unknown": "ignore"}}
    ],
    "split": {"train": 0.70, "validation": 0.15, "test": 0.15, "seed": 42}
  })");
  args["input"] = AbalonePath();
  return args;
}

// The churn preparation of seed-pipelines.md section 3.
inline Json ChurnArgs() {
  Json args = Json::parse(R"({
    "drop": ["Phone", "Day Charge", "Eve Charge", "Night Charge", "Intl Charge"],
    "categorical": ["Area Code"],
    "label": {"column": "Churn?", "positive": "True."},
    "transforms": [{"columns": ["State", "Area Code", "Int'l Plan", "VMail Plan"], "one_hot": true}],
    "split": {"train": 0.7, "validation": 0.2, "test": 0.1, "seed": 1729}
  })");
  args["input"] = ChurnPath();
  return args;
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits simple CSV text (no quotes) into lines of cells.
inline std::vector<std::vector<std::string>> SplitSimpleCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace grove::data::testing
