#include "serving/payload.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>

#include "data/cell_text.h"
#include "serving/csv_rows.h"

namespace grove::serving {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

std::string Quoted(std::string_view cell) {
  constexpr size_t kMax = 40;
  if (cell.size() <= kMax) return "'" + std::string(cell) + "'";
  return "'" + std::string(cell.substr(0, kMax)) + "...'";
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool IsBlank(std::string_view cell) {
  return cell.find_first_not_of(" \t") == std::string_view::npos;
}

// Appends rows to a request, checking that every row has the first row's width.
class RowBuilder {
 public:
  explicit RowBuilder(PredictRequest* request) : request_(request) {}

  // `where` prefixes errors, e.g. "instances[3]"; empty for CSV rows.
  Status BeginRow(size_t width, const std::string& where) {
    size_t row = ++request_->rows;
    if (row == 1) {
      request_->cols = width;
      return Status::OK();
    }
    if (width == request_->cols) return Status::OK();
    return Status::InvalidArgument(Prefix(where) + "row " + std::to_string(row) + " has " + std::to_string(width) +
                                   " values, expected " + std::to_string(request_->cols) + " like row 1");
  }

  // A cell given as text (CSV, or a JSON string). `column` is 0-based.
  Status AddText(std::string_view cell, size_t column, const std::string& where) {
    if (request_->input == InputKind::kRaw) {
      request_->cells.emplace_back(cell);
      return Status::OK();
    }
    if (IsBlank(cell)) {
      request_->features.push_back(kMissing);
      return Status::OK();
    }
    std::optional<double> x = data::ParseNumber(cell);
    if (!x) return CellError(column, where, Quoted(cell) + " is not a number");
    return AddNumber(*x, column, where);
  }

  Status AddNumber(double x, size_t column, const std::string& where) {
    if (std::abs(x) > std::numeric_limits<float>::max()) {
      return CellError(column, where, data::FormatNumber(x) + " is out of float range");
    }
    request_->features.push_back(static_cast<float>(x));
    return Status::OK();
  }

  // A JSON value as one cell.
  Status AddJson(const Json& cell, size_t column, const std::string& where) {
    if (cell.is_null()) {
      if (request_->input == InputKind::kRaw) request_->cells.emplace_back();
      if (request_->input == InputKind::kFeatures) request_->features.push_back(kMissing);
      return Status::OK();
    }
    if (cell.is_string()) return AddText(cell.get_ref<const std::string&>(), column, where);
    if (cell.is_number()) {
      double x = cell.get<double>();
      if (request_->input == InputKind::kRaw) return AddText(data::FormatNumber(x), column, where);
      return AddNumber(x, column, where);
    }
    return CellError(column, where, std::string("expected a number, string or null, got ") + cell.type_name());
  }

 private:
  Status CellError(size_t column, const std::string& where, const std::string& what) const {
    return Status::InvalidArgument(Prefix(where) + "row " + std::to_string(request_->rows) + ", column " +
                                   std::to_string(column + 1) + ": " + what);
  }
  static std::string Prefix(const std::string& where) { return where.empty() ? "" : where + ": "; }

  PredictRequest* request_;
};

Status ReadCsvRows(std::string_view text, PredictRequest* request, const std::string& where) {
  RowBuilder builder(request);
  CsvRowReader reader(text);
  std::vector<std::string_view> cells;
  while (true) {
    Result<bool> more = reader.Next(&cells);
    if (!more.ok()) return where.empty() ? more.status() : more.status().WithContext(where);
    if (!*more) return Status::OK();
    RETURN_IF_ERROR(builder.BeginRow(cells.size(), where));
    for (size_t c = 0; c < cells.size(); ++c) RETURN_IF_ERROR(builder.AddText(cells[c], c, where));
  }
}

Status ReadInstances(const Json& instances, PredictRequest* request) {
  if (!instances.is_array()) return Status::InvalidArgument("instances: expected an array of rows");
  RowBuilder builder(request);
  for (size_t r = 0; r < instances.size(); ++r) {
    const Json* row = &instances[r];
    std::string where = "instances[" + std::to_string(r) + "]";
    if (row->is_object() && row->contains("features")) row = &row->at("features");
    if (!row->is_array()) return Status::InvalidArgument(where + ": expected an array of values");
    RETURN_IF_ERROR(builder.BeginRow(row->size(), "instances"));
    for (size_t c = 0; c < row->size(); ++c) RETURN_IF_ERROR(builder.AddJson((*row)[c], c, "instances"));
  }
  return Status::OK();
}

Result<std::string> StringField(const Json& doc, const char* key) {
  const Json& v = doc.at(key);
  if (!v.is_string()) return Status::InvalidArgument(std::string(key) + ": expected a string, got " + v.type_name());
  return v.get<std::string>();
}

Status ReadJsonFields(const Json& doc, PredictRequest* request) {
  for (const auto& [key, value] : doc.items()) {
    if (key != "model" && key != "data" && key != "instances" && key != "input" && key != "output") {
      return Status::InvalidArgument("unknown field '" + key + "' (fields: model, data, instances, input, output)");
    }
  }
  if (doc.contains("model")) {
    ASSIGN_OR_RETURN(request->model, StringField(doc, "model"));
  }
  if (doc.contains("input")) {
    ASSIGN_OR_RETURN(std::string text, StringField(doc, "input"));
    ASSIGN_OR_RETURN(request->input, ParseInputKind(text));
  }
  if (doc.contains("output")) {
    ASSIGN_OR_RETURN(std::string text, StringField(doc, "output"));
    ASSIGN_OR_RETURN(request->output, ParseOutputRequest(text));
  }
  bool has_data = doc.contains("data"), has_instances = doc.contains("instances");
  if (has_data == has_instances) {
    return Status::InvalidArgument("expected exactly one of \"data\" (CSV rows) and \"instances\" (an array of rows)");
  }
  if (has_instances) return ReadInstances(doc.at("instances"), request);
  ASSIGN_OR_RETURN(std::string data, StringField(doc, "data"));
  return ReadCsvRows(data, request, "data");
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
  return Status::InvalidArgument("input: expected \"features\" or \"raw\", got " + Quoted(text));
}

Result<OutputRequest> ParseOutputRequest(std::string_view text) {
  if (text == "probability") return OutputRequest::kProbability;
  if (text == "label") return OutputRequest::kLabel;
  return Status::InvalidArgument("output: expected \"probability\" or \"label\", got " + Quoted(text));
}

Result<PredictRequest> ParseJsonRequest(std::string_view body) {
  Json doc;
  try {
    doc = Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    size_t bracket = what.find("] ");
    if (what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) what = what.substr(bracket + 2);
    return Status::InvalidArgument("malformed JSON at byte " + std::to_string(e.byte) + ": " + what);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object()) return Status::InvalidArgument(std::string("expected a JSON object, got ") + doc.type_name());
  PredictRequest request;
  try {
    RETURN_IF_ERROR(ReadJsonFields(doc, &request));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("bad request: ") + e.what());
  }
  return request;
}

Result<PredictRequest> ParseCsvRequest(std::string_view body, InputKind input) {
  PredictRequest request;
  request.input = input;
  RETURN_IF_ERROR(ReadCsvRows(body, &request, ""));
  return request;
}

Result<PredictRequest> ParseRequest(std::string_view body, std::string_view content_type, InputKind csv_input) {
  std::string type = Lower(content_type);
  size_t start = type.find_first_not_of(' ');
  if (start != std::string::npos && type.compare(start, 8, "text/csv") == 0) return ParseCsvRequest(body, csv_input);
  return ParseJsonRequest(body);
}

ResponseFormat ResponseFormatOf(std::string_view accept) {
  std::string a = Lower(accept);
  size_t csv = a.find("text/csv");
  size_t json = a.find("json");
  return csv != std::string::npos && (json == std::string::npos || csv < json) ? ResponseFormat::kCsv
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
