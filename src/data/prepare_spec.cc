#include "data/prepare_spec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <set>

#include "data/cell_text.h"

namespace grove::data {

namespace {

Status ArgError(const std::string& path, const std::string& message) {
  return Status::InvalidArgument(path + ": " + message);
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Rejects keys of `object` not in `allowed`.
Status CheckKeys(const Json& object, const std::string& path, std::initializer_list<const char*> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, value] : object.items()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      std::string where = path.empty() ? key : path + "." + key;
      return ArgError(where, "unknown argument (expected one of: " + Join(names) + ")");
    }
  }
  return Status::OK();
}

// true/false, or the strings "True"/"False" (as the reference pipelines pass
// booleans through String parameters), in any case.
Result<bool> ParseBool(const Json& value, const std::string& path) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "true" || text == "false") return text == "true";
  }
  return ArgError(path, "expected true or false");
}

bool IsScalar(const Json& value) { return value.is_string() || value.is_number(); }

// A list of distinct, non-empty column names.
Result<std::vector<std::string>> ParseNames(const Json& value, const std::string& path, bool allow_empty) {
  if (!value.is_array()) return ArgError(path, "expected a list of column names");
  if (value.empty() && !allow_empty) return ArgError(path, "expected at least one column name");
  std::vector<std::string> names;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!value[i].is_string() || value[i].get<std::string>().empty()) {
      return ArgError(item_path, "expected a column name (a non-empty string)");
    }
    std::string name = value[i].get<std::string>();
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return ArgError(item_path, "'" + name + "' is listed twice");
    }
    names.push_back(std::move(name));
  }
  return names;
}

Result<FilterSpec> ParseFilter(const Json& value, const std::string& path) {
  if (!value.is_object()) return ArgError(path, "expected {column: c, equals | not_equals | in: value}");
  RETURN_IF_ERROR(CheckKeys(value, path, {"column", "equals", "not_equals", "in"}));
  FilterSpec filter;
  if (!value.contains("column") || !value["column"].is_string())
    return ArgError(path + ".column", "expected a column name");
  filter.column = value["column"].get<std::string>();
  int ops = 0;
  for (auto [key, op] : {std::pair{"equals", FilterOp::kEquals}, std::pair{"not_equals", FilterOp::kNotEquals}}) {
    if (!value.contains(key)) continue;
    ++ops;
    if (!IsScalar(value[key])) return ArgError(path + "." + key, "expected a string or number");
    filter.op = op;
    filter.values = {value[key]};
  }
  if (value.contains("in")) {
    ++ops;
    const Json& list = value["in"];
    if (!list.is_array() || list.empty()) return ArgError(path + ".in", "expected a non-empty list of values");
    for (size_t i = 0; i < list.size(); ++i) {
      if (!IsScalar(list[i])) return ArgError(path + ".in[" + std::to_string(i) + "]", "expected a string or number");
      filter.values.push_back(list[i]);
    }
    filter.op = FilterOp::kIn;
  }
  if (ops != 1) return ArgError(path, "expected exactly one of equals, not_equals, in");
  return filter;
}

Result<LabelSpec> ParseLabel(const Json& value) {
  LabelSpec label;
  if (value.is_string()) {
    label.column = value.get<std::string>();
    label.path = "label";
  } else if (value.is_object()) {
    RETURN_IF_ERROR(CheckKeys(value, "label", {"column", "positive"}));
    if (!value.contains("column") || !value["column"].is_string()) {
      return ArgError("label.column", "expected a column name");
    }
    label.column = value["column"].get<std::string>();
    label.path = "label.column";
    if (value.contains("positive")) {
      if (!IsScalar(value["positive"])) {
        return ArgError("label.positive", "expected a string or number (quote values such as \"yes\" in YAML)");
      }
      label.classification = true;
      label.positive = value["positive"];
    }
  } else {
    return ArgError("label", "expected a column name or {column: c, positive: value}");
  }
  if (label.column.empty()) return ArgError(label.path, "expected a non-empty column name");
  return label;
}

Status ParseImpute(const Json& value, const std::string& path, TransformSpec* t) {
  if (value == "median") {
    t->impute = ImputeKind::kMedian;
  } else if (value == "mean") {
    t->impute = ImputeKind::kMean;
  } else if (value.is_object() && value.size() == 1 && value.contains("constant")) {
    if (!IsScalar(value["constant"])) return ArgError(path + ".constant", "expected a string or number");
    t->impute = ImputeKind::kConstant;
    t->impute_constant = value["constant"];
  } else {
    return ArgError(path, "expected median, mean or {constant: value}");
  }
  return Status::OK();
}

Status ParseOneHot(const Json& value, const std::string& path, TransformSpec* t) {
  if (value.is_boolean()) {
    t->one_hot = value.get<bool>();
    return Status::OK();
  }
  if (!value.is_object()) return ArgError(path, "expected true, false or {unknown: ignore | error}");
  RETURN_IF_ERROR(CheckKeys(value, path, {"unknown"}));
  t->one_hot = true;
  if (!value.contains("unknown")) return Status::OK();
  if (value["unknown"] != "ignore" && value["unknown"] != "error") {
    return ArgError(path + ".unknown", "expected ignore or error");
  }
  t->unknown_is_error = value["unknown"] == "error";
  return Status::OK();
}

// Rejects combinations that cannot work whatever the data.
Status CheckTransformCombination(const TransformSpec& t, const std::string& path) {
  const bool numeric_impute = t.impute == ImputeKind::kMedian || t.impute == ImputeKind::kMean;
  if (t.one_hot && t.scale) return ArgError(path, "scale and one_hot cannot be combined");
  if (t.one_hot && numeric_impute) {
    return ArgError(path + ".impute", "median and mean need numbers; impute one_hot columns with {constant: value}");
  }
  if (!t.one_hot && t.impute == ImputeKind::kConstant) {
    const Json& c = t.impute_constant;
    std::optional<double> number = ScalarNumber(c);
    if (!number || std::isnan(*number)) {
      return ArgError(path + ".impute.constant",
                      "'" + ScalarText(c) + "' is not a number (text constants are for one_hot columns)");
    }
  }
  return Status::OK();
}

Result<TransformSpec> ParseTransform(const Json& value, const std::string& path) {
  if (!value.is_object()) return ArgError(path, "expected {columns: [...], impute, scale, one_hot}");
  RETURN_IF_ERROR(CheckKeys(value, path, {"columns", "impute", "scale", "one_hot"}));
  TransformSpec t;
  if (!value.contains("columns")) return ArgError(path + ".columns", "required");
  ASSIGN_OR_RETURN(t.columns, ParseNames(value["columns"], path + ".columns", false));
  if (value.contains("impute")) RETURN_IF_ERROR(ParseImpute(value["impute"], path + ".impute", &t));
  if (value.contains("scale")) {
    if (value["scale"] != "standard") return ArgError(path + ".scale", "expected standard");
    t.scale = true;
  }
  if (value.contains("one_hot")) RETURN_IF_ERROR(ParseOneHot(value["one_hot"], path + ".one_hot", &t));
  RETURN_IF_ERROR(CheckTransformCombination(t, path));
  return t;
}

bool IsSplitName(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

Status ParseSplitPart(const std::string& name, const Json& value, SplitSpec* split) {
  const std::string path = "split." + name;
  if (!IsSplitName(name))
    return ArgError(path, "a split name uses only letters, digits, _ . - and does not start with .");
  if (name == "transform")
    return ArgError(path, "'transform' is the fitted transform's file; name the split otherwise");
  if (value == "rest") {  // Filled in by ParseSplit: 1 - the other fractions.
    split->parts.push_back({name, -1});
    return Status::OK();
  }
  if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > 1) {
    return ArgError(path, "expected a number in (0, 1] or \"rest\"");
  }
  split->parts.push_back({name, value.get<double>()});
  return Status::OK();
}

Result<SplitSpec> ParseSplit(const Json& value) {
  if (!value.is_object()) return ArgError("split", "expected {train: 0.7, validation: 0.15, test: 0.15, seed: 42}");
  SplitSpec split;
  for (const auto& [key, item] : value.items()) {
    if (key == "seed") {
      if (!item.is_number_integer() || (!item.is_number_unsigned() && item.get<int64_t>() < 0)) {
        return ArgError("split.seed", "expected a non-negative integer");
      }
      split.seed = item.get<uint64_t>();
    } else if (key == "stratify") {
      ASSIGN_OR_RETURN(split.stratify, ParseBool(item, "split.stratify"));
    } else {
      RETURN_IF_ERROR(ParseSplitPart(key, item, &split));
    }
  }
  if (split.parts.empty()) return ArgError("split", "expected at least one split, e.g. {train: 0.8, test: 0.2}");
  double sum = 0;
  SplitPart* rest = nullptr;
  for (SplitPart& part : split.parts) {
    if (part.fraction >= 0) sum += part.fraction;
    else if (rest != nullptr) return ArgError("split." + part.name, "only one split may be \"rest\"");
    else rest = &part;
  }
  if (rest != nullptr) {
    if (!(sum < 1.0 - 1e-9)) return ArgError("split." + rest->name, "nothing is left for \"rest\"");
    rest->fraction = 1.0 - sum;
    sum = 1.0;
  }
  if (std::abs(sum - 1.0) > 1e-9)
    return ArgError("split", "the fractions sum to " + FormatNumber(sum) + ", expected 1");
  return split;
}

Status ParseLists(const Json& args, PrepareSpec* spec) {
  if (args.contains("columns")) {
    ASSIGN_OR_RETURN(spec->columns, ParseNames(args["columns"], "columns", false));
  }
  if (args.contains("drop")) {
    ASSIGN_OR_RETURN(spec->drop, ParseNames(args["drop"], "drop", true));
  }
  if (args.contains("categorical")) {
    ASSIGN_OR_RETURN(spec->categorical, ParseNames(args["categorical"], "categorical", true));
  }
  if (args.contains("filter")) {
    const Json& filters = args["filter"];
    if (!filters.is_array()) return ArgError("filter", "expected a list of {column: c, equals: v}");
    for (size_t i = 0; i < filters.size(); ++i) {
      ASSIGN_OR_RETURN(FilterSpec f, ParseFilter(filters[i], "filter[" + std::to_string(i) + "]"));
      spec->filters.push_back(std::move(f));
    }
  }
  if (args.contains("transforms")) {
    const Json& transforms = args["transforms"];
    if (!transforms.is_array()) return ArgError("transforms", "expected a list of {columns: [...], ...}");
    for (size_t i = 0; i < transforms.size(); ++i) {
      ASSIGN_OR_RETURN(TransformSpec t, ParseTransform(transforms[i], "transforms[" + std::to_string(i) + "]"));
      spec->transforms.push_back(std::move(t));
    }
  }
  return Status::OK();
}

// Checks that need several arguments together but no column names.
Status CheckCombinations(const PrepareSpec& spec) {
  if (!spec.header && spec.columns.empty()) return ArgError("columns", "required when header is false");
  if (spec.split.stratify && !spec.label.classification) {
    return ArgError("split.stratify", "needs a classification label ({column: c, positive: value})");
  }
  if (spec.split.stratify && !spec.shuffle) return ArgError("split.stratify", "needs shuffle: true");
  return Status::OK();
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Checks a column that must exist and survive `drop`.
Status CheckKept(const PrepareSpec& spec, const std::vector<std::string>& names, const std::string& path,
                 const std::string& name) {
  if (!Contains(names, name)) return ArgError(path, "no column '" + name + "' (columns: " + Join(names) + ")");
  if (Contains(spec.drop, name)) return ArgError(path, "column '" + name + "' is dropped");
  return Status::OK();
}

Status CheckTransformColumns(const PrepareSpec& spec, const std::vector<std::string>& names) {
  std::vector<std::string> seen;
  std::vector<size_t> seen_in;
  for (size_t i = 0; i < spec.transforms.size(); ++i) {
    const TransformSpec& t = spec.transforms[i];
    const std::string path = "transforms[" + std::to_string(i) + "].columns";
    for (const std::string& name : t.columns) {
      RETURN_IF_ERROR(CheckKept(spec, names, path, name));
      if (name == spec.label.column) return ArgError(path, "'" + name + "' is the label; it cannot be transformed");
      auto it = std::find(seen.begin(), seen.end(), name);
      if (it != seen.end()) {
        return ArgError(path, "'" + name + "' is already in transforms[" + std::to_string(seen_in[it - seen.begin()]) +
                                  "]; a column may appear in one entry only");
      }
      if (!t.one_hot && Contains(spec.categorical, name)) {
        return ArgError(path, "'" + name + "' is listed in categorical; add one_hot: true or drop it");
      }
      seen.push_back(name);
      seen_in.push_back(i);
    }
  }
  return Status::OK();
}

// A categorical column that no transform one-hot encodes, is not dropped and
// is not the label has no numeric form to pass through.
Status CheckCategoricalUsed(const PrepareSpec& spec) {
  for (const std::string& name : spec.categorical) {
    if (Contains(spec.drop, name) || name == spec.label.column) continue;
    bool encoded = std::any_of(spec.transforms.begin(), spec.transforms.end(),
                               [&](const TransformSpec& t) { return Contains(t.columns, name); });
    if (!encoded) {
      return ArgError("categorical", "'" + name + "' is categorical: one-hot encode it (transforms: [{columns: [" +
                                         name + "], one_hot: true}]) or drop it");
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckColumnReferences(const PrepareSpec& spec, const std::vector<std::string>& names) {
  for (const std::string& name : spec.drop) {
    if (!Contains(names, name)) return ArgError("drop", "no column '" + name + "' (columns: " + Join(names) + ")");
  }
  for (const std::string& name : spec.categorical) {
    if (!Contains(names, name)) {
      return ArgError("categorical", "no column '" + name + "' (columns: " + Join(names) + ")");
    }
  }
  for (size_t i = 0; i < spec.filters.size(); ++i) {
    RETURN_IF_ERROR(CheckKept(spec, names, "filter[" + std::to_string(i) + "].column", spec.filters[i].column));
  }
  RETURN_IF_ERROR(CheckKept(spec, names, spec.label.path, spec.label.column));
  if (!spec.label.classification && Contains(spec.categorical, spec.label.column)) {
    return ArgError(spec.label.path, "a regression label must be numeric, but '" + spec.label.column +
                                         "' is listed in categorical (give label.positive for classification)");
  }
  RETURN_IF_ERROR(CheckTransformColumns(spec, names));
  return CheckCategoricalUsed(spec);
}

CsvReadOptions CsvOptionsFor(const PrepareSpec& spec) {
  CsvReadOptions options;
  options.header = spec.header;
  options.column_names = spec.columns;
  options.text_columns.insert(spec.categorical.begin(), spec.categorical.end());
  for (const TransformSpec& t : spec.transforms) {
    if (t.one_hot) options.text_columns.insert(t.columns.begin(), t.columns.end());
  }
  if (spec.label.classification) options.text_columns.insert(spec.label.column);
  return options;
}

Result<PrepareSpec> ParsePrepareSpec(const Json& args) {
  if (!args.is_object()) return Status::InvalidArgument("arguments: expected an object with input, label, ...");
  RETURN_IF_ERROR(CheckKeys(
      args, "",
      {"input", "header", "columns", "drop", "filter", "categorical", "label", "transforms", "shuffle", "split"}));
  PrepareSpec spec;
  if (!args.contains("input")) return ArgError("input", "required (a CSV file or a directory of CSV files)");
  if (!args["input"].is_string() || args["input"].get<std::string>().empty()) {
    return ArgError("input", "expected a path (a non-empty string)");
  }
  spec.input = args["input"].get<std::string>();
  if (args.contains("header")) {
    ASSIGN_OR_RETURN(spec.header, ParseBool(args["header"], "header"));
  }
  if (args.contains("shuffle")) {
    ASSIGN_OR_RETURN(spec.shuffle, ParseBool(args["shuffle"], "shuffle"));
  }
  RETURN_IF_ERROR(ParseLists(args, &spec));
  if (!args.contains("label")) return ArgError("label", "required (a column name or {column: c, positive: value})");
  ASSIGN_OR_RETURN(spec.label, ParseLabel(args["label"]));
  if (args.contains("split")) {
    ASSIGN_OR_RETURN(spec.split, ParseSplit(args["split"]));
  } else {
    spec.split.parts = {{"train", 1.0}};
  }
  RETURN_IF_ERROR(CheckCombinations(spec));
  return spec;
}

}  // namespace grove::data
