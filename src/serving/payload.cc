#include "serving/payload.h"

#include <charconv>
#include <cmath>

#include "serving/json_request.h"
#include "serving/row_builder.h"

namespace grove::serving {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Where lowercase `needle` first occurs in `text`, ignoring ASCII case; npos if nowhere.
// Header values are short, so this beats lowercasing a copy.
size_t FindIgnoreCase(std::string_view text, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && LowerAscii(text[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

void AppendValue(double value, bool label, bool json, std::string* out) {
  if (!std::isfinite(value)) {
    if (json) *out += "null";
    return;
  }
  char buf[32];
  std::to_chars_result r = label ? std::to_chars(buf, buf + sizeof buf, std::llround(value))
                                 : std::to_chars(buf, buf + sizeof buf, static_cast<float>(value));
  out->append(buf, r.ptr);
}

}  // namespace

Result<InputKind> ParseInputKind(std::string_view text) {
  if (text == "features") return InputKind::kFeatures;
  if (text == "raw") return InputKind::kRaw;
  return Status::InvalidArgument("input: expected \"features\" or \"raw\", got " + QuotedCell(text));
}

Result<OutputRequest> ParseOutputRequest(std::string_view text) {
  if (text == "probability") return OutputRequest::kProbability;
  if (text == "label") return OutputRequest::kLabel;
  return Status::InvalidArgument("output: expected \"probability\" or \"label\", got " + QuotedCell(text));
}

Result<PredictRequest> ParseJsonRequest(std::string_view body) {
  PredictRequest request;
  if (ScanJsonRequest(body, &request)) return request;
  return ReadJsonDocument(body);  // Names the error, or reads a form the scanner leaves to it.
}

Result<PredictRequest> ParseCsvRequest(std::string_view body, InputKind input) {
  PredictRequest request;
  request.input = input;
  RETURN_IF_ERROR(ReadCsvRows(body, &request, ""));
  return request;
}

Result<PredictRequest> ParseRequest(std::string_view body, std::string_view content_type, InputKind csv_input) {
  size_t start = content_type.find_first_not_of(' ');
  if (start != std::string_view::npos && FindIgnoreCase(content_type.substr(start, 8), "text/csv") == 0) {
    return ParseCsvRequest(body, csv_input);
  }
  return ParseJsonRequest(body);
}

ResponseFormat ResponseFormatOf(std::string_view accept) {
  size_t csv = FindIgnoreCase(accept, "text/csv");
  size_t json = FindIgnoreCase(accept, "json");
  return csv != std::string_view::npos && (json == std::string_view::npos || csv < json) ? ResponseFormat::kCsv
                                                                                         : ResponseFormat::kJson;
}

const char* ContentTypeOf(ResponseFormat format) {
  return format == ResponseFormat::kCsv ? "text/csv" : "application/json";
}

std::string EncodePredictions(const Predictions& p, ResponseFormat format) {
  bool json = format == ResponseFormat::kJson;
  std::string out;
  out.reserve(16 + p.values.size() * 12);
  if (json) out += "{\"predictions\":[";
  for (size_t r = 0; r < p.rows; ++r) {
    if (json && r > 0) out += ',';
    if (json && p.arrays) out += '[';
    for (size_t j = 0; j < p.per_row; ++j) {
      if (j > 0) out += ',';
      AppendValue(p.values[r * p.per_row + j], p.labels, json, &out);
    }
    if (json && p.arrays) out += ']';
    if (!json) out += '\n';
  }
  if (json) out += "]}";
  return out;
}

Result<Predictions> Predict(const DeployedModel& model, const PredictRequest& request) {
  if (request.input == InputKind::kRaw) return model.PredictRaw(request.cells, request.rows, request.cols, request.output);
  return model.PredictFeatures(request.features, request.rows, request.cols, request.output);
}

}  // namespace grove::serving
