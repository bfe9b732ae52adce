#include "serving/json_request.h"

#include <exception>
#include <string>

#include "serving/json_scanner.h"
#include "serving/row_builder.h"

namespace grove::serving {
namespace {

const std::string kData = "data";
const std::string kInstances = "instances";

// --- The scanner ---------------------------------------------------------------
// With builder null, the Scan functions only check the shape (the first pass,
// before "input" is known); with a builder, they add the rows.

bool ScanCell(JsonScanner& in, RowBuilder* builder, size_t column, std::string* storage) {
  char next = in.Peek();
  if (next == '"') {
    std::string_view text;
    return in.ReadString(&text, storage) && (builder == nullptr || builder->AddText(text, column, kInstances).ok());
  }
  if (next == 'n') {
    if (!in.ReadLiteral("null")) return false;
    if (builder != nullptr) builder->AddNull();
    return true;
  }
  if (builder == nullptr) return in.ReadNumber(nullptr);
  double x = 0;
  return in.ReadNumber(&x) && builder->AddNumber(x, column, kInstances).ok();
}

// One row: [value, ...]. Its width is checked after its cells are added, which
// changes no result: any error sends the body to ReadJsonDocument.
bool ScanRow(JsonScanner& in, RowBuilder* builder, std::string* storage) {
  if (!in.Consume('[')) return false;
  size_t width = 0;
  if (!in.Consume(']')) {
    do {
      if (!ScanCell(in, builder, width++, storage)) return false;
    } while (in.Consume(','));
    if (!in.Consume(']')) return false;
  }
  return builder == nullptr || builder->BeginRow(width, kInstances).ok();
}

// [row, ...] where a row is [values] or {"features": [values]}.
bool ScanInstances(JsonScanner& in, RowBuilder* builder) {
  std::string storage;
  if (!in.Consume('[')) return false;
  if (in.Consume(']')) return true;
  do {
    bool object = in.Consume('{');
    std::string_view key;
    if (object && !(in.ReadString(&key, &storage) && key == "features" && in.Consume(':'))) return false;
    if (!ScanRow(in, builder, &storage)) return false;
    if (object && !in.Consume('}')) return false;
  } while (in.Consume(','));
  return in.Consume(']');
}

// The members of the top-level object, each at most once.
struct ScannedFields {
  static constexpr unsigned kModel = 1, kData = 2, kInstances = 4, kInput = 8, kOutput = 16;
  unsigned seen = 0;
  std::string_view model, data;
  std::string model_storage, data_storage;
  size_t instances_at = 0;  // Offset of the instances value.
};

bool ScanField(JsonScanner& in, std::string_view key, ScannedFields* fields, PredictRequest* request) {
  unsigned bit = key == "model"       ? ScannedFields::kModel
                 : key == "data"      ? ScannedFields::kData
                 : key == "instances" ? ScannedFields::kInstances
                 : key == "input"     ? ScannedFields::kInput
                 : key == "output"    ? ScannedFields::kOutput
                                      : 0;
  if (bit == 0 || (fields->seen & bit) != 0) return false;
  fields->seen |= bit;
  std::string_view text;
  std::string storage;
  switch (bit) {
    case ScannedFields::kModel: return in.ReadString(&fields->model, &fields->model_storage);
    case ScannedFields::kData: return in.ReadString(&fields->data, &fields->data_storage);
    case ScannedFields::kInstances:
      fields->instances_at = in.position();
      return ScanInstances(in, nullptr);
    case ScannedFields::kInput: {
      if (!in.ReadString(&text, &storage)) return false;
      Result<InputKind> input = ParseInputKind(text);
      if (input.ok()) request->input = *input;
      return input.ok();
    }
    default: {
      if (!in.ReadString(&text, &storage)) return false;
      Result<OutputRequest> output = ParseOutputRequest(text);
      if (output.ok()) request->output = *output;
      return output.ok();
    }
  }
}

// --- The document reader -------------------------------------------------------

Status ReadInstances(const Json& instances, PredictRequest* request) {
  if (!instances.is_array()) return Status::InvalidArgument("instances: expected an array of rows");
  RowBuilder builder(request);
  for (size_t r = 0; r < instances.size(); ++r) {
    const Json* row = &instances[r];
    if (row->is_object() && row->contains("features")) row = &row->at("features");
    if (!row->is_array()) {
      return Status::InvalidArgument("instances[" + std::to_string(r) + "]: expected an array of values");
    }
    RETURN_IF_ERROR(builder.BeginRow(row->size(), kInstances));
    for (size_t c = 0; c < row->size(); ++c) RETURN_IF_ERROR(builder.AddJson((*row)[c], c, kInstances));
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
  return ReadCsvRows(data, request, kData);
}

}  // namespace

bool ScanJsonRequest(std::string_view body, PredictRequest* request) {
  JsonScanner in(body);
  ScannedFields fields;
  if (!in.Consume('{')) return false;
  if (in.Peek() != '}') {
    std::string_view key;
    std::string key_storage;
    do {
      if (!in.ReadString(&key, &key_storage) || !in.Consume(':')) return false;
      if (!ScanField(in, key, &fields, request)) return false;
    } while (in.Consume(','));
  }
  if (!in.Consume('}') || !in.AtEnd()) return false;
  const bool has_data = (fields.seen & ScannedFields::kData) != 0;
  if (has_data == ((fields.seen & ScannedFields::kInstances) != 0)) return false;
  request->model = fields.model;
  if (has_data) return ReadCsvRows(fields.data, request, kData).ok();
  JsonScanner rows(body.substr(fields.instances_at));
  RowBuilder builder(request);
  return ScanInstances(rows, &builder);
}

Result<PredictRequest> ReadJsonDocument(std::string_view body) {
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

}  // namespace grove::serving
