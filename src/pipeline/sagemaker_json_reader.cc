#include "pipeline/sagemaker_json_reader.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/clock.h"
#include "pipeline/expression_tree.h"

namespace grove::pipeline {

namespace {

// SageMaker's execution variables that Grove has, by Grove's name.
const std::map<std::string, std::string, std::less<>> kExecutionVariableNames = {
    {"PipelineExecutionId", "ExecutionId"}, {"StartDateTime", "StartDateTime"}, {"PipelineName", "PipelineName"}};

const std::map<std::string, std::string, std::less<>> kComparisons = {
    {"Equals", "Equals"},
    {"GreaterThan", "GreaterThan"},
    {"GreaterThanOrEqualTo", "GreaterThanOrEqualTo"},
    {"LessThan", "LessThan"},
    {"LessThanOrEqualTo", "LessThanOrEqualTo"}};

std::string Escape(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

class Reader {
 public:
  Reader(std::string source, const StepTypeRegistry& types) : source_(std::move(source)), types_(types) {}

  Status Read(const Json& doc, Definition& def);

 private:
  Status Fail(const std::string& pointer, const std::string& message) const {
    return Status::InvalidArgument(source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
  }
  Result<const Json*> Member(const Json& object, const std::string& key, const std::string& at, bool required) const;
  Status ReadParameter(const Json& p, const std::string& at, Definition& def) const;
  Result<std::vector<std::string>> ReadSteps(const Json& steps, const std::string& at, const std::string& guard,
                                             const std::string& branch, Definition& def);
  Status ReadStep(const Json& s, const std::string& at, const std::string& guard, const std::string& branch,
                  Definition& def);
  Status ReadPolicies(const Json& s, const std::string& at, StepDef& step) const;
  Status ReadRegisterModel(const Json& args, const std::string& at, StepDef& step) const;
  // A value with every SageMaker expression translated into Grove's.
  Result<Json> Value(const Json& v, const std::string& at) const;
  Result<Json> Get(const std::string& what, const std::string& at) const;
  Result<Json> Condition(const Json& c, const std::string& at) const;
  Result<Json> Conditions(const Json& list, const std::string& at) const;

  const std::string source_;
  const StepTypeRegistry& types_;
};

Result<const Json*> Reader::Member(const Json& object, const std::string& key, const std::string& at,
                                   bool required) const {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) return Fail(at + "/" + Escape(key), "missing");
    return static_cast<const Json*>(nullptr);
  }
  return &*it;
}

Result<Json> Reader::Get(const std::string& what, const std::string& at) const {
  const auto dot = what.find('.');
  const std::string root = what.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : what.substr(dot + 1);
  if (root == "Parameters") return Json{{"Get", what}};
  if (root == "Execution") {
    auto it = kExecutionVariableNames.find(rest);
    if (it == kExecutionVariableNames.end()) {
      return Fail(at, "Grove does not provide Execution." + rest + " (it has PipelineExecutionId, StartDateTime, "
                      "PipelineName)");
    }
    return Json{{"Get", "Execution." + it->second}};
  }
  if (root == "Steps") {
    const auto step_end = rest.find('.');
    if (step_end == std::string::npos || step_end == 0) return Fail(at, "expected Steps.<step>.<property>, got " + what);
    std::string path;  // "Outputs['train'].S3Output" -> "Outputs.train.S3Output"
    const std::string property = rest.substr(step_end + 1);
    for (size_t i = 0; i < property.size(); ++i) {
      if (property.compare(i, 2, "['") == 0) {
        const size_t close = property.find("']", i + 2);
        if (close == std::string::npos) return Fail(at, "unclosed ['...'] in " + what);
        path += "." + property.substr(i + 2, close - i - 2);
        i = close + 1;
      } else {
        path += property[i];
      }
    }
    return Json{{"JsonGet", {{"step", rest.substr(0, step_end)}, {"path", path}}}};
  }
  return Fail(at, "expected a reference to Parameters, Execution or Steps, got " + what);
}

Result<Json> Reader::Value(const Json& v, const std::string& at) const {
  if (v.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < v.size(); ++i) {
      ASSIGN_OR_RETURN(Json item, Value(v[i], at + "/" + std::to_string(i)));
      out.push_back(std::move(item));
    }
    return out;
  }
  if (!v.is_object()) return v;
  if (v.size() == 1 && v.contains("Get")) {
    if (!v["Get"].is_string()) return Fail(at + "/Get", "expected a string such as \"Parameters.Name\"");
    return Get(v["Get"].get<std::string>(), at + "/Get");
  }
  if (v.size() == 1 && v.contains("Std:Join")) {
    const Json& join = v["Std:Join"];
    const std::string here = at + "/Std:Join";
    if (!join.is_object()) return Fail(here, "expected {On, Values}");
    ASSIGN_OR_RETURN(const Json* values, Member(join, "Values", here, true));
    ASSIGN_OR_RETURN(Json translated, Value(*values, here + "/Values"));
    return Json{{"Join", {{"on", join.value("On", Json(""))}, {"values", std::move(translated)}}}};
  }
  if (v.size() == 1 && v.contains("Std:JsonGet")) {
    const Json& get = v["Std:JsonGet"];
    const std::string here = at + "/Std:JsonGet";
    if (!get.is_object()) return Fail(here, "expected {PropertyFile, Path}");
    ASSIGN_OR_RETURN(const Json* file, Member(get, "PropertyFile", here, true));
    ASSIGN_OR_RETURN(const Json* path, Member(get, "Path", here, true));
    if (!path->is_string()) return Fail(here + "/Path", "expected a dotted path such as \"metrics.mse.value\"");
    const std::string ref = file->is_object() ? file->value("Get", "") : "";
    const std::string marker = ".PropertyFiles.";
    const size_t at_files = ref.find(marker);
    if (ref.rfind("Steps.", 0) != 0 || at_files == std::string::npos) {
      return Fail(here + "/PropertyFile", "expected {\"Get\": \"Steps.<step>.PropertyFiles.<name>\"}");
    }
    const std::string step = ref.substr(6, at_files - 6);
    const std::string name = ref.substr(at_files + marker.size());
    return Json{{"JsonGet", {{"step", step}, {"path", "PropertyFiles." + name + "." + path->get<std::string>()}}}};
  }
  Json out = Json::object();
  for (const auto& [key, value] : v.items()) {
    ASSIGN_OR_RETURN(out[key], Value(value, at + "/" + Escape(key)));
  }
  return out;
}

Result<Json> Reader::Condition(const Json& c, const std::string& at) const {
  if (!c.is_object()) return Fail(at, "expected a condition {Type, ...}");
  ASSIGN_OR_RETURN(const Json* type_json, Member(c, "Type", at, true));
  const std::string type = type_json->is_string() ? type_json->get<std::string>() : type_json->dump();
  auto operand = [&](const char* key) -> Result<Json> {
    ASSIGN_OR_RETURN(const Json* v, Member(c, key, at, true));
    return Value(*v, at + "/" + key);
  };
  if (auto it = kComparisons.find(type); it != kComparisons.end() || type == "NotEquals") {
    ASSIGN_OR_RETURN(Json left, operand("LeftValue"));
    ASSIGN_OR_RETURN(Json right, operand("RightValue"));
    if (type == "NotEquals") return Json{{"Not", {{"Equals", {left, right}}}}};
    return Json{{it->second, {left, right}}};
  }
  if (type == "In" || type == "NotIn") {
    // The SDK's {QueryValue, Values}; the older schema's {Value, In}.
    ASSIGN_OR_RETURN(Json value, operand(c.contains("QueryValue") ? "QueryValue" : "Value"));
    ASSIGN_OR_RETURN(Json values, operand(c.contains("Values") ? "Values" : "In"));
    Json in = {{"In", {value, values}}};
    return type == "In" ? in : Json{{"Not", in}};
  }
  if (type == "Not") {
    ASSIGN_OR_RETURN(const Json* inner, Member(c, "Condition", at, true));
    ASSIGN_OR_RETURN(Json translated, Condition(*inner, at + "/Condition"));
    return Json{{"Not", std::move(translated)}};
  }
  if (type == "Or") {
    ASSIGN_OR_RETURN(const Json* list, Member(c, "Conditions", at, true));
    ASSIGN_OR_RETURN(Json translated, Conditions(*list, at + "/Conditions"));
    return Json{{"Or", std::move(translated)}};
  }
  return Fail(at + "/Type", "unknown condition type '" + type +
                                "' (expected Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, "
                                "LessThanOrEqualTo, In, Not or Or)");
}

Result<Json> Reader::Conditions(const Json& list, const std::string& at) const {
  if (!list.is_array()) return Fail(at, "expected a list of conditions");
  Json out = Json::array();
  for (size_t i = 0; i < list.size(); ++i) {
    ASSIGN_OR_RETURN(Json c, Condition(list[i], at + "/" + std::to_string(i)));
    out.push_back(std::move(c));
  }
  return out;
}

Status Reader::ReadParameter(const Json& p, const std::string& at, Definition& def) const {
  if (!p.is_object()) return Fail(at, "expected {Name, Type, DefaultValue}");
  ASSIGN_OR_RETURN(const Json* name, Member(p, "Name", at, true));
  if (!name->is_string()) return Fail(at + "/Name", "expected a string");
  ParameterDef param;
  param.name = name->get<std::string>();
  const std::string type = p.value("Type", "String");  // The schema lets String leave its Type out.
  if (type == "String") {
    param.type = ParamType::kString;
  } else if (type == "Integer") {
    param.type = ParamType::kInteger;
  } else if (type == "Float") {
    param.type = ParamType::kFloat;
  } else if (type == "Boolean") {
    param.type = ParamType::kBoolean;
  } else {
    return Fail(at + "/Type", "unknown type '" + type + "' (expected String, Integer, Float or Boolean)");
  }
  auto normalize = [&](Json v) {
    return param.type == ParamType::kFloat && v.is_number_integer() ? Json(v.get<double>()) : v;
  };
  if (p.contains("DefaultValue") && !p["DefaultValue"].is_null()) param.default_value = normalize(p["DefaultValue"]);
  for (const Json& v : p.value("EnumValues", Json::array())) param.enum_values.push_back(normalize(v));
  param.description = p.value("Description", "");
  def.parameters.push_back(std::move(param));
  return Status::OK();
}

Status Reader::ReadPolicies(const Json& s, const std::string& at, StepDef& step) const {
  if (const Json* cache = s.contains("CacheConfig") ? &s["CacheConfig"] : nullptr; cache && cache->is_object()) {
    step.cache.enabled = cache->value("Enabled", false);
    if (cache->contains("ExpireAfter") && (*cache)["ExpireAfter"].is_string()) {
      std::string text = (*cache)["ExpireAfter"].get<std::string>();
      if (!text.empty() && text.back() == 'd' && text.front() != 'P') text = "P" + text.substr(0, text.size() - 1) + "D";
      auto ms = ParseIsoDuration(text);
      if (!ms.ok()) return Fail(at + "/CacheConfig/ExpireAfter", ms.status().message());
      step.cache.expire_after = *ms;
    }
  } else {
    step.cache.enabled = false;  // SageMaker caches only steps that ask for it.
  }
  for (const Json& policy : s.value("RetryPolicies", Json::array())) {
    const int attempts = policy.value("MaxAttempts", 1) + 1;  // SageMaker's MaxAttempts counts retries.
    if (attempts > step.retry.max_attempts) {
      step.retry.max_attempts = std::min(attempts, 1000);
      step.retry.interval_seconds = policy.value("IntervalSeconds", 1.0);
      step.retry.backoff_rate = policy.value("BackoffRate", 2.0);
    }
  }
  return Status::OK();
}

Status Reader::ReadRegisterModel(const Json& args, const std::string& at, StepDef& step) const {
  step.type = "RegisterModel";
  ASSIGN_OR_RETURN(const Json* group, Member(args, "ModelPackageGroupName", at, true));
  ASSIGN_OR_RETURN(step.arguments["group"], Value(*group, at + "/ModelPackageGroupName"));
  const Json::json_pointer model("/InferenceSpecification/Containers/0/ModelDataUrl");
  if (!args.contains(model)) return Fail(at + model.to_string(), "missing: Grove registers the model it names");
  ASSIGN_OR_RETURN(step.arguments["model"], Value(args[model], at + model.to_string()));
  const std::pair<const char*, const char*> optional[] = {
      {"/ModelMetrics/ModelQuality/Statistics/S3Uri", "model_metrics"},
      {"/ModelApprovalStatus", "approval_status"},
      {"/ModelPackageDescription", "description"}};
  for (const auto& [path, argument] : optional) {
    const Json::json_pointer pointer(path);
    if (args.contains(pointer) && !args[pointer].is_null()) {
      ASSIGN_OR_RETURN(step.arguments[argument], Value(args[pointer], at + path));
    }
  }
  return Status::OK();
}

Result<std::vector<std::string>> Reader::ReadSteps(const Json& steps, const std::string& at,
                                                   const std::string& guard, const std::string& branch,
                                                   Definition& def) {
  if (!steps.is_array()) return Fail(at, "expected a list of steps");
  std::vector<std::string> names;
  for (size_t i = 0; i < steps.size(); ++i) {
    RETURN_IF_ERROR(ReadStep(steps[i], at + "/" + std::to_string(i), guard, branch, def));
    names.push_back(steps[i]["Name"].get<std::string>());
  }
  return names;
}

Status Reader::ReadStep(const Json& s, const std::string& at, const std::string& guard, const std::string& branch,
                        Definition& def) {
  if (!s.is_object()) return Fail(at, "expected a step {Name, Type, Arguments}");
  ASSIGN_OR_RETURN(const Json* name, Member(s, "Name", at, true));
  ASSIGN_OR_RETURN(const Json* type, Member(s, "Type", at, true));
  if (!name->is_string()) return Fail(at + "/Name", "expected a string");
  if (!type->is_string()) return Fail(at + "/Type", "expected a string");
  const Json arguments = s.value("Arguments", Json::object());
  StepDef step;
  step.name = name->get<std::string>();
  step.guard_step = guard;
  step.guard_branch = branch;
  step.description = s.value("Description", "");
  for (const Json& d : s.value("DependsOn", Json::array())) {
    if (!d.is_string()) return Fail(at + "/DependsOn", "expected step names");
    step.depends_on.push_back(d.get<std::string>());
  }
  RETURN_IF_ERROR(ReadPolicies(s, at, step));
  const std::string sagemaker_type = type->get<std::string>();
  std::vector<std::pair<std::string, const Json*>> nested;
  if (sagemaker_type == "Condition") {
    step.type = "Condition";
    ASSIGN_OR_RETURN(const Json* conditions, Member(arguments, "Conditions", at + "/Arguments", true));
    ASSIGN_OR_RETURN(step.arguments["conditions"], Conditions(*conditions, at + "/Arguments/Conditions"));
    for (const auto& [list, key] : {std::pair<const char*, const char*>{"if_steps", "IfSteps"}, {"else_steps", "ElseSteps"}}) {
      if (arguments.contains(key)) nested.emplace_back(list, &arguments[key]);
    }
  } else if (sagemaker_type == "Fail") {
    step.type = "Fail";
    if (arguments.contains("ErrorMessage")) {
      ASSIGN_OR_RETURN(step.arguments["message"], Value(arguments["ErrorMessage"], at + "/Arguments/ErrorMessage"));
    }
  } else if (sagemaker_type == "RegisterModel") {
    RETURN_IF_ERROR(ReadRegisterModel(arguments, at + "/Arguments", step));
  } else {
    // Jobs keep their request; what Grove cannot run is still accepted, stored and described.
    static const std::map<std::string, std::string, std::less<>> kJobSteps = {
        {"Processing", "SageMakerProcessing"}, {"Training", "SageMakerTraining"}, {"Tuning", "SageMakerTuning"},
        {"Lambda", "Lambda"},
        {"Callback", "Callback"}};
    auto job = kJobSteps.find(sagemaker_type);
    step.type = job == kJobSteps.end() ? "SageMakerJob" : job->second;
    ASSIGN_OR_RETURN(Json request, Value(arguments, at + "/Arguments"));
    step.arguments = {{"type", sagemaker_type}, {"request", std::move(request)}};
    // The step's own members beside Arguments (Lambda's FunctionArn, QualityCheck's CheckType, PropertyFiles, ...).
    for (const auto& [key, value] : s.items()) {
      static const std::set<std::string> kCommon = {"Name",        "Type",          "Arguments",    "DependsOn",
                                                    "DisplayName", "Description",   "CacheConfig", "RetryPolicies"};
      if (kCommon.count(key)) continue;
      ASSIGN_OR_RETURN(step.arguments[key], Value(value, at + "/" + Escape(key)));
    }
  }
  ParseStepExpressions(step, types_);
  const size_t index = def.steps.size();
  def.steps.push_back(std::move(step));
  for (const auto& [list, steps] : nested) {
    ASSIGN_OR_RETURN(std::vector<std::string> names,
                     ReadSteps(*steps, at + "/Arguments/" + (list == std::string("if_steps") ? "IfSteps" : "ElseSteps"),
                               def.steps[index].name, list, def));
    def.steps[index].branches[list] = std::move(names);
  }
  return Status::OK();
}

Status Reader::Read(const Json& doc, Definition& def) {
  if (!doc.is_object()) return Fail("", "expected a pipeline definition object {Version, Parameters, Steps}");
  if (doc.contains("Version") && doc["Version"] != "2020-12-01") {
    return Fail("/Version", "unsupported version " + doc["Version"].dump() + " (expected \"2020-12-01\")");
  }
  const Json parameters = doc.value("Parameters", Json::array());
  if (!parameters.is_array()) return Fail("/Parameters", "expected a list of parameters");
  for (size_t i = 0; i < parameters.size(); ++i) {
    RETURN_IF_ERROR(ReadParameter(parameters[i], "/Parameters/" + std::to_string(i), def));
  }
  ASSIGN_OR_RETURN(const Json* steps, Member(doc, "Steps", "", true));
  RETURN_IF_ERROR(ReadSteps(*steps, "/Steps", "", "", def).status());
  return Status::OK();
}

}  // namespace

bool IsSageMakerDefinition(const std::string& text) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || text[start] != '{') return false;
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("Version") && doc.contains("Steps");
}

Result<Definition> ReadSageMakerDefinition(const std::string& text, const std::string& name,
                                           const std::string& source_path, const StepTypeRegistry& types) {
  const std::string source = source_path.empty() ? name + ".json" : source_path;
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(source + ": not valid JSON");
  Definition def;
  def.name = name;
  def.source_path = source_path;
  def.source_text = text;
  try {
    RETURN_IF_ERROR(Reader(source, types).Read(doc, def));
  } catch (const std::exception& e) {  // A member of an unexpected JSON type.
    return Status::InvalidArgument(source + ": " + e.what());
  }
  return def;
}

}  // namespace grove::pipeline
