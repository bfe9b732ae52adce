#include "pipeline/yaml_reader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>

#include "common/file_util.h"
#include "common/utf8.h"
#include "pipeline/expression.h"
#include "pipeline/expression_tree.h"
#include "pipeline/validator.h"
#include "pipeline/yaml_json.h"

namespace grove::pipeline {
namespace {

using Keys = std::span<const std::string_view>;
constexpr std::string_view kTopKeys[] = {"pipeline", "description", "parameters", "steps"};
constexpr std::string_view kParameterKeys[] = {"type", "default", "enum", "description"};
constexpr std::string_view kStepKeys[] = {"name",  "type",  "description", "depends_on",
                                          "cache", "retry", "arguments"};
constexpr std::string_view kCacheKeys[] = {"enabled", "expire_after"};
constexpr std::string_view kRetryKeys[] = {"max_attempts", "interval_seconds", "backoff_rate"};
constexpr const char* kNameRule = "letters, digits, '_' and '-', starting with a letter or digit";

std::string Child(const std::string& field, const std::string& key) {
  return field.empty() ? key : field + "." + key;
}
std::string Item(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }

std::string KeyList(Keys keys) {
  std::string out;
  for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

SourceLocation ToLocation(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

const char* KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    default: return "nothing";
  }
}

// Where a node is reported: scalars at themselves, the rest at `fallback`
// (their key), since empty values have no useful mark of their own.
YAML::Mark MarkOf(const YAML::Node& node, const YAML::Mark& fallback) {
  return node.IsScalar() ? node.Mark() : fallback;
}

struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
  YAML::Mark Mark() const { return MarkOf(value, key_node.Mark()); }
};

const Entry* FindEntry(const std::vector<Entry>& entries, std::string_view key) {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

// Builds a Definition from a parsed YAML document, recording locations.
// Stops at the first error.
class Reader {
 public:
  Reader(const std::string& text, const std::string& source_path, const StepTypeRegistry& types) : types_(types) {
    def_.source_text = text;
    def_.source_path = source_path;
  }
  Result<Definition> Read(const YAML::Node& root);

 private:
  void Record(const std::string& field, const YAML::Mark& mark) { def_.locations[field] = ToLocation(mark); }
  // Applies the quoted-scalar rule to literal arguments that have a type.
  Status CoerceLiterals() {
    for (StepDef& step : def_.steps) {
      if (!step.arguments.is_object()) continue;
      for (auto& [name, value] : step.arguments.items()) {
        const ArgumentSpec* spec = types_.FindArgument(step, name);
        if (spec == nullptr || IsExpression(value)) continue;
        Status s = CoerceArgument(*spec, value);
        if (!s.ok()) return def_.ErrorAt("steps." + step.name + ".arguments." + name, s.message());
      }
    }
    return Status::OK();
  }
  bool IsNestedStepList(const std::string& type_name, const std::string& argument) const {
    const StepType* type = types_.Find(type_name);
    if (type == nullptr) return false;
    std::vector<std::string> lists = type->NestedStepLists();
    return std::find(lists.begin(), lists.end(), argument) != lists.end();
  }
  Status Fail(const YAML::Mark& mark, const std::string& field, const std::string& message) {
    Record(field, mark);
    return def_.ErrorAt(field, message);
  }
  Result<std::vector<Entry>> Entries(const YAML::Node& node, const YAML::Mark& mark, const std::string& field,
                                     Keys accepted);
  Result<std::string> Text(const YAML::Node& node, const YAML::Mark& mark, const std::string& field);
  Result<std::string> Name(const YAML::Node& node, const YAML::Mark& mark, const std::string& field,
                           const std::string& what);
  Result<Json> ToJson(const YAML::Node& node, const YAML::Mark& mark, const std::string& field);
  Status ReadParameter(const Entry& entry);
  Result<std::vector<std::string>> ReadSteps(const YAML::Node& list, const YAML::Mark& mark,
                                             const std::string& field, const std::string& guard,
                                             const std::string& branch);
  Result<std::string> ReadStep(const YAML::Node& node, const std::string& item_field,
                               const std::string& guard, const std::string& branch);
  Status ReadStepField(const Entry& entry, const std::string& field, StepDef& step,
                       std::vector<Entry>& branches);
  Status ReadCache(const Entry& entry, const std::string& field, CachePolicy& cache);
  Status ReadRetry(const Entry& entry, const std::string& field, RetryPolicy& retry);
  Result<double> Number(const Entry& entry, const std::string& field, double min, bool integer);

  const StepTypeRegistry& types_;
  Definition def_;
  std::map<std::string, int> first_line_;  // Step name -> line of its first definition.
};

Result<std::vector<Entry>> Reader::Entries(const YAML::Node& node, const YAML::Mark& mark,
                                           const std::string& field, Keys accepted) {
  if (!node.IsMap()) {
    return Fail(mark, field.empty() ? "pipeline" : field,
                std::string("expected a mapping, got ") + KindName(node));
  }
  std::vector<Entry> entries;
  for (const auto& pair : node) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) return Fail(key.Mark(), field, "keys must be plain names");
    std::string name = key.Scalar();
    if (FindEntry(entries, name) != nullptr) {
      return Fail(key.Mark(), Child(field, name),
                  "duplicate key '" + name + "' (first at line " +
                      std::to_string(FindEntry(entries, name)->key_node.Mark().line + 1) + ")");
    }
    if (!accepted.empty() && std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      return Fail(key.Mark(), Child(field, name),
                  "unknown key '" + name + "' (accepted keys: " + KeyList(accepted) + ")");
    }
    entries.push_back({std::move(name), key, pair.second});
  }
  return entries;
}

Result<std::string> Reader::Text(const YAML::Node& node, const YAML::Mark& mark, const std::string& field) {
  Record(field, MarkOf(node, mark));
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) return Fail(mark, field, std::string("expected text, got ") + KindName(node));
  return node.Scalar();
}

Result<std::string> Reader::Name(const YAML::Node& node, const YAML::Mark& mark, const std::string& field,
                                 const std::string& what) {
  ASSIGN_OR_RETURN(std::string name, Text(node, mark, field));
  if (!IsValidName(name)) {
    return Fail(MarkOf(node, mark), field,
                "'" + name + "' is not a valid " + what + " (use " + kNameRule + ")");
  }
  return name;
}

Result<Json> Reader::ToJson(const YAML::Node& node, const YAML::Mark& mark, const std::string& field) {
  Record(field, MarkOf(node, mark));
  if (node.IsScalar()) return YamlScalarToJson(node);
  if (node.IsSequence()) {
    Json out = Json::array();
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      ASSIGN_OR_RETURN(Json value, ToJson(item, item.IsNull() ? mark : item.Mark(), Item(field, i)));
      out.push_back(std::move(value));
    }
    return out;
  }
  if (node.IsMap()) {
    ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(node, mark, field, {}));
    Json out = Json::object();
    for (const Entry& e : entries) {
      ASSIGN_OR_RETURN(out[e.key], ToJson(e.value, e.Mark(), Child(field, e.key)));
    }
    return out;
  }
  return Json(nullptr);
}

std::optional<ParamType> ParseParamType(const std::string& name) {
  for (ParamType t : {ParamType::kString, ParamType::kInteger, ParamType::kFloat, ParamType::kBoolean}) {
    if (name == ParamTypeName(t)) return t;
  }
  return std::nullopt;
}

Status Reader::ReadParameter(const Entry& entry) {
  ParameterDef p;
  ASSIGN_OR_RETURN(p.name, Name(entry.key_node, entry.key_node.Mark(), "parameters", "parameter name"));
  const std::string field = "parameters." + p.name;
  Record(field, entry.key_node.Mark());
  ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(entry.value, entry.Mark(), field, kParameterKeys));
  const Entry* type = FindEntry(entries, "type");
  if (type == nullptr) {
    return Fail(entry.key_node.Mark(), field + ".type",
                "missing (expected String, Integer, Float or Boolean)");
  }
  ASSIGN_OR_RETURN(std::string type_name, Text(type->value, type->Mark(), field + ".type"));
  std::optional<ParamType> parsed = ParseParamType(type_name);
  if (!parsed) {
    return Fail(type->Mark(), field + ".type",
                "unknown type '" + type_name + "' (expected String, Integer, Float or Boolean)");
  }
  p.type = *parsed;
  auto normalize = [&](Json v) {
    return p.type == ParamType::kFloat && v.is_number_integer() ? Json(v.get<double>()) : v;
  };
  for (const Entry& e : entries) {
    const std::string at = field + "." + e.key;
    if (e.key == "description") {
      ASSIGN_OR_RETURN(p.description, Text(e.value, e.Mark(), at));
    } else if (e.key == "default") {
      if (!e.value.IsScalar()) {
        return Fail(e.Mark(), at, "expected a single value, got " + std::string(KindName(e.value)));
      }
      ASSIGN_OR_RETURN(Json v, ToJson(e.value, e.Mark(), at));
      p.default_value = normalize(std::move(v));
    } else if (e.key == "enum") {
      if (!e.value.IsSequence()) return Fail(e.Mark(), at, "expected a list of allowed values");
      ASSIGN_OR_RETURN(Json values, ToJson(e.value, e.Mark(), at));
      for (Json& v : values) p.enum_values.push_back(normalize(std::move(v)));
    }
  }
  def_.parameters.push_back(std::move(p));
  return Status::OK();
}

Result<std::vector<std::string>> Reader::ReadSteps(const YAML::Node& list, const YAML::Mark& mark,
                                                   const std::string& field, const std::string& guard,
                                                   const std::string& branch) {
  std::vector<std::string> names;
  Record(field, mark);
  if (list.IsNull() && !guard.empty()) return names;  // An empty branch.
  if (!list.IsSequence()) {
    return Fail(mark, field, std::string("expected a list of steps, got ") + KindName(list));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    ASSIGN_OR_RETURN(std::string name, ReadStep(list[i], Item(field, i), guard, branch));
    names.push_back(std::move(name));
  }
  return names;
}

Result<std::string> Reader::ReadStep(const YAML::Node& node, const std::string& item_field,
                                     const std::string& guard, const std::string& branch) {
  // Keys are checked once the name is known, so errors name the step.
  ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(node, node.Mark(), item_field, {}));
  const Entry* name_entry = FindEntry(entries, "name");
  if (name_entry == nullptr) {
    return Fail(node.Mark(), item_field,
                "missing 'name' (every step needs one: " + std::string(kNameRule) + ")");
  }
  StepDef step;
  ASSIGN_OR_RETURN(step.name, Name(name_entry->value, name_entry->Mark(), item_field + ".name", "step name"));
  const std::string field = "steps." + step.name;
  const int line = ToLocation(node.Mark()).line;
  if (auto [it, inserted] = first_line_.emplace(step.name, line); !inserted) {
    return Fail(
        name_entry->Mark(), field,
        "duplicate step name '" + step.name + "' (first defined at line " + std::to_string(it->second) + ")");
  }
  Record(field, node.Mark());
  Record(field + ".name", name_entry->Mark());
  for (const Entry& e : entries) {
    if (std::find(std::begin(kStepKeys), std::end(kStepKeys), e.key) == std::end(kStepKeys)) {
      return Fail(e.key_node.Mark(), field + "." + e.key,
                  "unknown key '" + e.key + "' (accepted keys: " + KeyList(kStepKeys) + ")");
    }
  }
  const Entry* type = FindEntry(entries, "type");
  if (type != nullptr) {
    ASSIGN_OR_RETURN(step.type, Text(type->value, type->Mark(), field + ".type"));
  }
  if (step.type.empty()) {
    return Fail(type ? type->Mark() : node.Mark(), field + ".type",
                "missing (every step needs a type, e.g. Processing or Training)");
  }
  step.guard_step = guard;
  step.guard_branch = branch;
  std::vector<Entry> branches;  // The step type's nested step lists, e.g. a Condition's if_steps.
  for (const Entry& e : entries) RETURN_IF_ERROR(ReadStepField(e, field, step, branches));
  const std::string name = step.name;  // Not a reference: reading branches grows def_.steps.
  const size_t index = def_.steps.size();
  def_.steps.push_back(std::move(step));
  for (const Entry& b : branches) {
    ASSIGN_OR_RETURN(std::vector<std::string> names,
                     ReadSteps(b.value, b.key_node.Mark(), field + ".arguments." + b.key, name, b.key));
    def_.steps[index].branches[b.key] = std::move(names);
  }
  return name;
}

Status Reader::ReadStepField(const Entry& e, const std::string& field, StepDef& step,
                             std::vector<Entry>& branches) {
  const std::string at = field + "." + e.key;
  if (e.key == "description") {
    ASSIGN_OR_RETURN(step.description, Text(e.value, e.Mark(), at));
  } else if (e.key == "depends_on") {
    if (e.value.IsScalar()) {
      ASSIGN_OR_RETURN(std::string name, Text(e.value, e.Mark(), Item(at, 0)));
      step.depends_on.push_back(std::move(name));
      return Status::OK();
    }
    if (!e.value.IsSequence()) return Fail(e.Mark(), at, "expected a list of step names");
    Record(at, e.Mark());
    for (size_t i = 0; i < e.value.size(); ++i) {
      ASSIGN_OR_RETURN(std::string name, Text(e.value[i], e.Mark(), Item(at, i)));
      step.depends_on.push_back(std::move(name));
    }
  } else if (e.key == "cache") {
    return ReadCache(e, at, step.cache);
  } else if (e.key == "retry") {
    return ReadRetry(e, at, step.retry);
  } else if (e.key == "arguments") {
    Record(at, e.Mark());
    if (e.value.IsNull()) return Status::OK();
    ASSIGN_OR_RETURN(std::vector<Entry> args, Entries(e.value, e.Mark(), at, {}));
    for (const Entry& arg : args) {
      if (IsNestedStepList(step.type, arg.key)) {
        branches.push_back(arg);
        continue;
      }
      ASSIGN_OR_RETURN(step.arguments[arg.key], ToJson(arg.value, arg.Mark(), at + "." + arg.key));
    }
  }
  return Status::OK();  // name and type are read by ReadStep.
}

Status Reader::ReadCache(const Entry& e, const std::string& field, CachePolicy& cache) {
  if (e.value.IsScalar()) {  // `cache: false`
    ASSIGN_OR_RETURN(Json enabled, ToJson(e.value, e.Mark(), field));
    if (!enabled.is_boolean()) {
      return Fail(e.Mark(), field, "expected true, false or {enabled, expire_after}");
    }
    cache.enabled = enabled.get<bool>();
    return Status::OK();
  }
  Record(field, e.Mark());
  ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(e.value, e.Mark(), field, kCacheKeys));
  for (const Entry& c : entries) {
    const std::string at = field + "." + c.key;
    ASSIGN_OR_RETURN(Json value, ToJson(c.value, c.Mark(), at));
    if (c.key == "enabled") {
      if (!value.is_boolean()) return Fail(c.Mark(), at, "expected true or false, got " + value.dump());
      cache.enabled = value.get<bool>();
    } else {
      Result<TimeMs> ms = value.is_string()
                              ? ParseIsoDuration(value.get<std::string>())
                              : Result<TimeMs>(Status::InvalidArgument(
                                    "expected an ISO-8601 duration such as P30D, got " + value.dump()));
      if (!ms.ok()) return Fail(c.Mark(), at, ms.status().message());
      cache.expire_after = *ms;
    }
  }
  return Status::OK();
}

Result<double> Reader::Number(const Entry& e, const std::string& field, double min, bool integer) {
  ASSIGN_OR_RETURN(Json value, ToJson(e.value, e.Mark(), field));
  bool ok = integer ? value.is_number_integer() : value.is_number();
  if (!ok || value.get<double>() < min) {
    std::string want = integer ? "an integer" : "a number";
    return Fail(e.Mark(), field,
                "expected " + want + " >= " + ScalarText(Json(min)) + ", got " + value.dump());
  }
  return value.get<double>();
}

Status Reader::ReadRetry(const Entry& e, const std::string& field, RetryPolicy& retry) {
  Record(field, e.Mark());
  ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(e.value, e.Mark(), field, kRetryKeys));
  for (const Entry& r : entries) {
    const std::string at = field + "." + r.key;
    if (r.key == "max_attempts") {
      ASSIGN_OR_RETURN(double n, Number(r, at, 1, true));
      retry.max_attempts = static_cast<int>(std::min(n, 1000.0));
    } else if (r.key == "interval_seconds") {
      ASSIGN_OR_RETURN(retry.interval_seconds, Number(r, at, 0, false));
    } else {
      ASSIGN_OR_RETURN(retry.backoff_rate, Number(r, at, 1, false));
    }
  }
  return Status::OK();
}

Result<Definition> Reader::Read(const YAML::Node& root) {
  if (root.IsNull()) {
    return Fail(root.Mark(), "pipeline",
                "the definition is empty (expected a mapping with 'pipeline' and 'steps')");
  }
  ASSIGN_OR_RETURN(std::vector<Entry> entries, Entries(root, root.Mark(), "", kTopKeys));
  const Entry* name = FindEntry(entries, "pipeline");
  if (name == nullptr) {
    return Fail(root.Mark(), "pipeline", "missing (the pipeline's name: " + std::string(kNameRule) + ")");
  }
  ASSIGN_OR_RETURN(def_.name, Name(name->value, name->Mark(), "pipeline", "pipeline name"));
  if (const Entry* d = FindEntry(entries, "description")) {
    ASSIGN_OR_RETURN(def_.description, Text(d->value, d->Mark(), "description"));
  }
  if (const Entry* params = FindEntry(entries, "parameters"); params && !params->value.IsNull()) {
    Record("parameters", params->Mark());
    ASSIGN_OR_RETURN(std::vector<Entry> list, Entries(params->value, params->Mark(), "parameters", {}));
    for (const Entry& p : list) RETURN_IF_ERROR(ReadParameter(p));
  }
  const Entry* steps = FindEntry(entries, "steps");
  if (steps == nullptr || steps->value.size() == 0) {
    return Fail(steps ? steps->Mark() : root.Mark(), "steps", "expected a non-empty list of steps");
  }
  RETURN_IF_ERROR(ReadSteps(steps->value, steps->Mark(), "steps", "", "").status());
  RETURN_IF_ERROR(CoerceLiterals());
  // The reader is a front end of the expression tree: each step's arguments
  // are parsed here, once. Malformed expressions are kept on the step rather
  // than failing the read, so that ValidateDefinition reports them together
  // with every other error (the reader stops at its first).
  for (StepDef& step : def_.steps) ParseStepExpressions(step, types_);
  return std::move(def_);
}

}  // namespace

Result<Definition> ReadDefinition(const std::string& text, const std::string& source_path,
                                  const StepTypeRegistry& types) {
  std::string where = source_path.empty() ? "<definition>" : source_path;
  RETURN_IF_ERROR(CheckUtf8Text(text, where, "a definition"));  // Its strings become JSON, which must be UTF-8.
  try {
    YAML::Node root = YAML::Load(text);
    return Reader(text, source_path, types).Read(root);
  } catch (const YAML::DeepRecursion& e) {
    SourceLocation loc = ToLocation(e.mark);
    if (loc.line > 0) where += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
    return Status::InvalidArgument(where + ": nested more than " + std::to_string(e.depth()) +
                                   " levels deep; a definition may not nest that far");
  } catch (const YAML::Exception& e) {
    SourceLocation loc = ToLocation(e.mark);
    if (loc.line > 0) where += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
    return Status::InvalidArgument(where + ": " + e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(where + ": cannot read the definition: " + e.what());
  }
}

Result<Definition> ReadDefinition(const std::string& text, const std::string& source_path) {
  return ReadDefinition(text, source_path, StepTypeRegistry::BuiltIn());
}

Result<Definition> ReadDefinitionFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("definition file not found: " + path.string());
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path.string() + " is a directory; give the definition file (YAML or JSON)");
  }
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ReadDefinition(text, path.string());
}

}  // namespace grove::pipeline
