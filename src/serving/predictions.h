#pragma once

#include <cstddef>
#include <vector>

namespace grove::serving {

// What a deployed model answers for a batch of rows, ready to encode.
struct Predictions {
  size_t rows = 0;
  // Values per row: 1, or the class count for class probabilities.
  size_t per_row = 1;
  // rows * per_row values, row-major.
  std::vector<double> values;
  // True when every value is a label (0/1 or a class index), written as an integer.
  bool labels = false;
  // True when rows are arrays in JSON (class probabilities), even with one class.
  bool arrays = false;
};

}  // namespace grove::serving
