#include "data/fitted_transform.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "data/cell_text.h"

namespace grove::data {

namespace {

Status JsonError(const std::string& path, const std::string& message) {
  return Status::InvalidArgument("transform: " + path + ": " + message);
}

Result<double> JsonNumber(const Json& object, const std::string& key, const std::string& path) {
  if (!object.contains(key) || !object[key].is_number()) return JsonError(path + "." + key, "expected a number");
  return object[key].get<double>();
}

Result<std::string> JsonString(const Json& object, const std::string& key, const std::string& path) {
  if (!object.contains(key) || !object[key].is_string()) return JsonError(path + "." + key, "expected a string");
  return object[key].get<std::string>();
}

Json ColumnToJson(const FeatureColumn& column) {
  Json json = {{"name", column.name}};
  if (column.kind == FeatureKind::kNumeric) {
    json["kind"] = "numeric";
    if (!std::isnan(column.impute)) json["impute"] = column.impute;
    if (column.scale) json["scale"] = {{"mean", column.mean}, {"std", column.std}};
    return json;
  }
  json["kind"] = "one_hot";
  if (!column.impute_text.empty()) json["impute"] = column.impute_text;
  json["categories"] = column.categories;
  json["unknown"] = column.unknown_is_error ? "error" : "ignore";
  return json;
}

Status NumericFromJson(const Json& json, const std::string& path, FeatureColumn* column) {
  if (json.contains("impute")) {
    ASSIGN_OR_RETURN(column->impute, JsonNumber(json, "impute", path));
  }
  if (!json.contains("scale")) return Status::OK();
  column->scale = true;
  ASSIGN_OR_RETURN(column->mean, JsonNumber(json["scale"], "mean", path + ".scale"));
  ASSIGN_OR_RETURN(column->std, JsonNumber(json["scale"], "std", path + ".scale"));
  if (!(column->std > 0)) return JsonError(path + ".scale.std", "expected a positive number");
  return Status::OK();
}

Status OneHotFromJson(const Json& json, const std::string& path, FeatureColumn* column) {
  if (json.contains("impute")) {
    ASSIGN_OR_RETURN(column->impute_text, JsonString(json, "impute", path));
  }
  const Json* categories = json.contains("categories") ? &json["categories"] : nullptr;
  if (categories == nullptr || !categories->is_array()) return JsonError(path + ".categories", "expected a list");
  for (const Json& category : *categories) {
    if (!category.is_string()) return JsonError(path + ".categories", "expected strings");
    column->categories.push_back(category.get<std::string>());
  }
  ASSIGN_OR_RETURN(std::string unknown, JsonString(json, "unknown", path));
  if (unknown != "ignore" && unknown != "error") return JsonError(path + ".unknown", "expected ignore or error");
  column->unknown_is_error = unknown == "error";
  return Status::OK();
}

Result<FeatureColumn> ColumnFromJson(const Json& json, const std::string& path) {
  if (!json.is_object()) return JsonError(path, "expected an object");
  FeatureColumn column;
  ASSIGN_OR_RETURN(column.name, JsonString(json, "name", path));
  ASSIGN_OR_RETURN(std::string kind, JsonString(json, "kind", path));
  if (kind == "numeric") {
    RETURN_IF_ERROR(NumericFromJson(json, path, &column));
  } else if (kind == "one_hot") {
    column.kind = FeatureKind::kOneHot;
    RETURN_IF_ERROR(OneHotFromJson(json, path, &column));
  } else {
    return JsonError(path + ".kind", "expected numeric or one_hot");
  }
  return column;
}

Result<LabelInfo> LabelFromJson(const Json& json) {
  if (!json.is_object()) return JsonError("label", "expected an object");
  LabelInfo label;
  ASSIGN_OR_RETURN(label.column, JsonString(json, "column", "label"));
  ASSIGN_OR_RETURN(std::string kind, JsonString(json, "kind", "label"));
  if (kind != "regression" && kind != "classification") {
    return JsonError("label.kind", "expected regression or classification");
  }
  label.classification = kind == "classification";
  if (label.classification) {
    if (!json.contains("positive") || !(json["positive"].is_string() || json["positive"].is_number())) {
      return JsonError("label.positive", "expected a string or number");
    }
    label.positive = json["positive"];
  }
  return label;
}

Result<std::vector<DroppedColumn>> DroppedFromJson(const Json& json) {
  std::vector<DroppedColumn> dropped;
  if (!json.is_array()) return JsonError("dropped_columns", "expected a list");
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string path = "dropped_columns[" + std::to_string(i) + "]";
    DroppedColumn column;
    ASSIGN_OR_RETURN(column.name, JsonString(json[i], "name", path));
    if (!json[i].contains("position") || !json[i]["position"].is_number_unsigned()) {
      return JsonError(path + ".position", "expected a non-negative integer");
    }
    column.position = json[i]["position"].get<size_t>();
    dropped.push_back(std::move(column));
  }
  return dropped;
}

}  // namespace

Result<FittedTransform> FittedTransform::Create(std::vector<FeatureColumn> columns, std::vector<DroppedColumn> dropped,
                                                LabelInfo label) {
  FittedTransform transform;
  transform.columns_ = std::move(columns);
  transform.dropped_ = std::move(dropped);
  transform.label_ = std::move(label);
  RETURN_IF_ERROR(transform.BuildLayout());
  return transform;
}

Status FittedTransform::BuildLayout() {
  RETURN_IF_ERROR(MapWideRow());
  offsets_.assign(columns_.size(), 0);
  feature_names_.clear();
  lookups_.assign(columns_.size(), {});
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].kind != FeatureKind::kNumeric) continue;
    offsets_[i] = feature_names_.size();
    feature_names_.push_back(columns_[i].name);
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    const FeatureColumn& column = columns_[i];
    if (column.kind != FeatureKind::kOneHot) continue;
    offsets_[i] = feature_names_.size();
    for (uint32_t k = 0; k < column.categories.size(); ++k) {
      feature_names_.push_back(column.name + "_" + column.categories[k]);
      lookups_[i].emplace_back(column.categories[k], k);
    }
    std::sort(lookups_[i].begin(), lookups_[i].end());
    for (size_t k = 1; k < lookups_[i].size(); ++k) {
      if (lookups_[i][k].first == lookups_[i][k - 1].first) {
        return JsonError("input_columns[" + std::to_string(i) + "].categories",
                         "'" + lookups_[i][k].first + "' appears twice");
      }
    }
  }
  std::set<std::string_view> names;
  for (const std::string& name : feature_names_) {
    if (!names.insert(name).second) {
      return JsonError("feature_columns", "two features are named '" + name + "'; rename a column");
    }
  }
  return Status::OK();
}

Status FittedTransform::MapWideRow() {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name.empty()) return JsonError("input_columns[" + std::to_string(i) + "].name", "is empty");
    for (size_t j = 0; j < i; ++j) {
      if (columns_[j].name == columns_[i].name)
        return JsonError("input_columns", "'" + columns_[i].name + "' appears twice");
    }
  }
  const size_t wide = columns_.size() + dropped_.size();
  wide_to_input_.assign(wide, 0);
  std::sort(dropped_.begin(), dropped_.end(),
            [](const DroppedColumn& a, const DroppedColumn& b) { return a.position < b.position; });
  for (size_t i = 0; i < dropped_.size(); ++i) {
    if (dropped_[i].position >= wide || (i > 0 && dropped_[i].position == dropped_[i - 1].position)) {
      return JsonError("dropped_columns",
                       "position " + std::to_string(dropped_[i].position) + " is out of range or repeated");
    }
    wide_to_input_[dropped_[i].position] = -1;
  }
  for (size_t cell = 0, input = 0; cell < wide; ++cell) {
    if (wide_to_input_[cell] == 0) wide_to_input_[cell] = static_cast<int>(input++);
  }
  return Status::OK();
}

Result<FittedTransform> FittedTransform::FromJson(const Json& json) {
  if (!json.is_object()) return JsonError("(top)", "expected an object");
  // Compared as JSON values: json.value() would throw on a value of another type.
  if (!json.contains("format") || json["format"] != kFormatName) {
    return JsonError("format", std::string("expected ") + kFormatName);
  }
  if (!json.contains("format_version") || json["format_version"] != kFormatVersion) {
    return JsonError("format_version", "expected " + std::to_string(kFormatVersion));
  }
  ASSIGN_OR_RETURN(LabelInfo label, LabelFromJson(json.value("label", Json())));
  const Json& inputs = json.contains("input_columns") ? json["input_columns"] : Json();
  if (!inputs.is_array()) return JsonError("input_columns", "expected a list");
  std::vector<FeatureColumn> columns;
  for (size_t i = 0; i < inputs.size(); ++i) {
    ASSIGN_OR_RETURN(FeatureColumn column, ColumnFromJson(inputs[i], "input_columns[" + std::to_string(i) + "]"));
    columns.push_back(std::move(column));
  }
  ASSIGN_OR_RETURN(std::vector<DroppedColumn> dropped, DroppedFromJson(json.value("dropped_columns", Json::array())));
  ASSIGN_OR_RETURN(FittedTransform transform, Create(std::move(columns), std::move(dropped), std::move(label)));
  if (json.contains("feature_columns") && json["feature_columns"] != Json(transform.feature_names_)) {
    return JsonError("feature_columns", "do not match input_columns");
  }
  return transform;
}

Json FittedTransform::ToJson() const {
  Json label = {{"column", label_.column}, {"kind", label_.classification ? "classification" : "regression"}};
  if (label_.classification) label["positive"] = label_.positive;
  Json inputs = Json::array();
  for (const FeatureColumn& column : columns_) inputs.push_back(ColumnToJson(column));
  Json dropped = Json::array();
  for (const DroppedColumn& column : dropped_)
    dropped.push_back({{"name", column.name}, {"position", column.position}});
  return {{"format", kFormatName},   {"format_version", kFormatVersion}, {"label", label},
          {"input_columns", inputs}, {"dropped_columns", dropped},       {"feature_columns", feature_names_}};
}

int FittedTransform::FindCategory(size_t column, std::string_view cell) const {
  if (cell.empty()) cell = columns_[column].impute_text;
  if (cell.empty()) return -1;
  const auto& lookup = lookups_[column];
  auto it = std::lower_bound(lookup.begin(), lookup.end(), cell,
                             [](const std::pair<std::string, uint32_t>& entry, std::string_view text) {
                               return std::string_view(entry.first) < text;
                             });
  if (it == lookup.end() || it->first != cell) return -1;
  return static_cast<int>(it->second);
}

Status FittedTransform::ApplyCell(size_t column, std::string_view cell, std::span<double> features) const {
  const FeatureColumn& c = columns_[column];
  double* out = features.data() + offsets_[column];
  if (c.kind == FeatureKind::kNumeric) {
    double x = std::numeric_limits<double>::quiet_NaN();
    if (!cell.empty()) {
      std::optional<double> parsed = ParseNumber(cell);
      if (!parsed) {
        return Status::InvalidArgument("column '" + c.name + "' (input column " + std::to_string(column + 1) + "): '" +
                                       std::string(cell) + "' is not a number");
      }
      x = *parsed;
    }
    *out = TransformNumber(c, x);
    return Status::OK();
  }
  std::fill(out, out + c.categories.size(), 0.0);
  int index = FindCategory(column, cell);
  if (index >= 0) {
    out[index] = 1.0;
  } else if (c.unknown_is_error && !(cell.empty() && c.impute_text.empty())) {
    return Status::InvalidArgument("column '" + c.name + "' (input column " + std::to_string(column + 1) +
                                   "): unknown category '" + std::string(cell.empty() ? c.impute_text : cell) + "'");
  }
  return Status::OK();
}

template <typename Cell>
Status FittedTransform::Apply(std::span<const Cell> cells, std::span<double> features) const {
  if (features.size() != feature_names_.size()) {
    return Status::Internal("feature buffer has " + std::to_string(features.size()) + " entries, expected " +
                            std::to_string(feature_names_.size()));
  }
  const bool wide = !dropped_.empty() && cells.size() == wide_to_input_.size();
  if (cells.size() != columns_.size() && !wide) {
    std::string expected = std::to_string(columns_.size());
    if (!dropped_.empty()) expected += " (or " + std::to_string(wide_to_input_.size()) + " with the dropped columns)";
    return Status::InvalidArgument("row has " + std::to_string(cells.size()) + " cells, expected " + expected);
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    const int column = wide ? wide_to_input_[i] : static_cast<int>(i);
    if (column >= 0) RETURN_IF_ERROR(ApplyCell(static_cast<size_t>(column), cells[i], features));
  }
  return Status::OK();
}

Result<std::vector<double>> FittedTransform::ApplyToRow(const std::vector<std::string>& raw_cells) const {
  std::vector<double> features(feature_names_.size());
  RETURN_IF_ERROR(Apply(std::span<const std::string>(raw_cells), std::span<double>(features)));
  return features;
}

Status FittedTransform::ApplyToRow(std::span<const std::string_view> raw_cells, std::span<double> features) const {
  return Apply(raw_cells, features);
}

Result<double> FittedTransform::EncodeLabel(std::string_view cell) const {
  if (cell.empty()) return Status::InvalidArgument("the label '" + label_.column + "' is empty");
  if (label_.classification) return ScalarMatchesText(label_.positive, cell) ? 1.0 : 0.0;
  std::optional<double> value = ParseNumber(cell);
  if (!value || std::isnan(*value)) {
    return Status::InvalidArgument("the label '" + label_.column + "': '" + std::string(cell) + "' is not a number");
  }
  return *value;
}

}  // namespace grove::data
