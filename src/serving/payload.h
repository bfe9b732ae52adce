#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "serving/deployed_model.h"
#include "serving/predictions.h"

namespace grove::serving {

// What the rows of a request are.
//   kFeatures (the default when a request does not say): already transformed
//     numeric feature rows, exactly as the model was trained on (the training
//     CSV without its label column). Empty cells and JSON null are missing.
//   kRaw: rows in the training file's column layout without the label, as
//     text; the model's fitted transform turns them into features.
enum class InputKind { kFeatures, kRaw };

// One invocation, decoded. Dense and row-major: rows * cols values in
// `features` (kFeatures) or `cells` (kRaw); the other vector is empty.
struct PredictRequest {
  std::string model;  // The body's "model"; empty when it names none.
  InputKind input = InputKind::kFeatures;
  OutputRequest output = OutputRequest::kDefault;
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> features;
  std::vector<std::string> cells;
};

// Decodes a JSON body, in either of two shapes:
//   {"model": "name", "data": "<headerless CSV rows>", "input": "raw", "output": "label"}
//   {"instances": [[1.5, 2, null], ...], "model": "name", "input": "features"}
// "model", "input" ("features" | "raw") and "output" ("probability" | "label")
// are optional; exactly one of "data" and "instances" is required. An instance
// may also be {"features": [...]}. Every error is kInvalidArgument and says
// where: malformed JSON gives its byte offset, a bad cell its row and column
// (1-based) and text, a ragged row its number and the expected and received
// counts, an unknown field its name.
Result<PredictRequest> ParseJsonRequest(std::string_view body);

// Decodes a text/csv body: headerless rows of `input` kind, errors as above.
Result<PredictRequest> ParseCsvRequest(std::string_view body, InputKind input = InputKind::kFeatures);

// Decodes by Content-Type: text/csv (any parameters) as CSV, anything else as JSON.
Result<PredictRequest> ParseRequest(std::string_view body, std::string_view content_type,
                                    InputKind csv_input = InputKind::kFeatures);

// "features" | "raw" and "probability" | "label", as request fields and headers spell them.
Result<InputKind> ParseInputKind(std::string_view text);
Result<OutputRequest> ParseOutputRequest(std::string_view text);

enum class ResponseFormat { kJson, kCsv };

// JSON unless `accept` asks for text/csv (before any JSON type it lists).
ResponseFormat ResponseFormatOf(std::string_view accept);
const char* ContentTypeOf(ResponseFormat format);

// JSON: {"predictions": [0.93, 0.12]}, or one array per row for class
// probabilities ([[0.1, 0.7, 0.2], ...]); labels are integers. CSV: one line
// per row, a row's values separated by commas. Floats print in their shortest
// exact form.
std::string EncodePredictions(const Predictions& predictions, ResponseFormat format);

// Predicts `request`'s rows with `model`: raw rows through its transform, or
// feature rows (DeployedModel's errors).
Result<Predictions> Predict(const DeployedModel& model, const PredictRequest& request);

}  // namespace grove::serving
