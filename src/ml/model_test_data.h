#pragma once

// The bundled classification data sets for the model tests (header-only; not part of grove_ml).

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/file_util.h"
#include "ml/dataset.h"
#include "ml/label_first_csv.h"

namespace grove::ml::testing {

inline std::filesystem::path SourceDir() {
  const char* env = std::getenv("GROVE_SOURCE_DIR");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path(GROVE_SOURCE_DIR);
}

// Reads a CSV whose last column is the label, skipping `header_lines`, through
// the label-first reader (moving the label to the front of each line).
inline Dataset ReadLabelLastCsv(const std::filesystem::path& path, int header_lines) {
  std::string text = ReadFile(path).value();
  std::string label_first;
  size_t pos = 0;
  for (int line = 0; pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(pos, end - pos);
    pos = end + 1;
    if (line < header_lines || row.empty()) continue;
    if (row.back() == '\r') row.pop_back();
    size_t comma = row.rfind(',');
    label_first += row.substr(comma + 1) + "," + row.substr(0, comma) + "\n";
  }
  return Dataset::FromLabeledMatrix(ParseLabelFirstCsv(label_first, path.string()).value());
}

// 569 rows x 30 features; label 1 = benign (357), 0 = malignant (212).
inline Dataset BreastCancer() {
  return ReadLabelLastCsv(SourceDir() / "datasets/breast-cancer/breast_cancer.csv", 1);
}

// 1372 rows x 4 features; label 0 = 762, 1 = 610.
inline Dataset Banknote() {
  return ReadLabelLastCsv(SourceDir() / "datasets/banknote-authentication/data_banknote_authentication.txt", 0);
}

}  // namespace grove::ml::testing
