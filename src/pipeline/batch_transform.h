#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace grove::pipeline {

// SageMaker's batch transform for CSV: rows in, one prediction per row out.
struct BatchTransformRequest {
  std::filesystem::path model;      // As EvaluationRequest::model.
  std::filesystem::path transform;  // Optional fitted transform: the rows are raw, turned into features first.
  std::filesystem::path input;      // A CSV file, or a folder whose *.csv files are read in name order.
  bool header = false;              // Whether each file starts with a header row (skipped, and kept for joining).
  // SageMaker's DataProcessing filters, JSONPath subsets over a row's fields:
  // "$" (all), "$[1:]", "$[0,3]", "$[-1]", "$[1:5,7]" (slices end-exclusive, negative from the end).
  std::string input_filter = "$";   // The fields given to the model.
  std::string join_source = "None"; // "Input": the output row is the input row, then the prediction.
  std::string output_filter = "$";  // The fields of the output row written.
  int nthread = 1;
};

struct BatchTransformResult {
  std::string csv;  // One line per input row (and a header when the input had one).
  size_t rows = 0;
};

// Errors name the file, the line and the field.
Result<BatchTransformResult> RunBatchTransform(const BatchTransformRequest& request);

// The field indices a filter selects from a row of `fields` fields.
Result<std::vector<size_t>> SelectFields(const std::string& filter, size_t fields);

}  // namespace grove::pipeline
