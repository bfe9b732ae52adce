#include "pipeline/definition.h"

namespace grove::pipeline {

namespace {

Json StepJson(const StepDef& s) {
  return {{"name", s.name},
          {"type", s.type},
          {"arguments", s.arguments},
          {"depends_on", s.depends_on},
          {"description", s.description},
          {"cache", {{"enabled", s.cache.enabled}, {"expire_after_ms", s.cache.expire_after}}},
          {"retry",
           {{"max_attempts", s.retry.max_attempts},
            {"interval_seconds", s.retry.interval_seconds},
            {"backoff_rate", s.retry.backoff_rate}}},
          {"branches", s.branches},
          {"guard_step", s.guard_step},
          {"guard_branch", s.guard_branch}};
}

StepDef StepFromJson(const Json& j) {
  StepDef s;
  s.name = j.at("name").get<std::string>();
  s.type = j.at("type").get<std::string>();
  s.arguments = j.value("arguments", Json::object());
  s.depends_on = j.value("depends_on", std::vector<std::string>{});
  s.description = j.value("description", "");
  const Json cache = j.value("cache", Json::object());
  s.cache.enabled = cache.value("enabled", true);
  s.cache.expire_after = cache.value("expire_after_ms", TimeMs{0});
  const Json retry = j.value("retry", Json::object());
  s.retry.max_attempts = retry.value("max_attempts", 1);
  s.retry.interval_seconds = retry.value("interval_seconds", 1.0);
  s.retry.backoff_rate = retry.value("backoff_rate", 2.0);
  s.branches = j.value("branches", std::map<std::string, std::vector<std::string>>{});
  s.guard_step = j.value("guard_step", "");
  s.guard_branch = j.value("guard_branch", "");
  return s;
}

}  // namespace

Json StepDefsToJson(const std::vector<StepDef>& steps) {
  Json out = Json::array();
  for (const StepDef& s : steps) out.push_back(StepJson(s));
  return out;
}

Result<std::vector<StepDef>> StepDefsFromJson(const Json& steps) {
  if (!steps.is_array()) return Status::InvalidArgument("a list of steps was expected, not " + steps.dump());
  std::vector<StepDef> out;
  for (size_t i = 0; i < steps.size(); ++i) {
    try {
      out.push_back(StepFromJson(steps[i]));
    } catch (const std::exception& e) {
      return Status::InvalidArgument("steps[" + std::to_string(i) + "]: " + e.what());
    }
  }
  return out;
}


const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString: return "String";
    case ParamType::kInteger: return "Integer";
    case ParamType::kFloat: return "Float";
    case ParamType::kBoolean: return "Boolean";
  }
  return "?";
}

const std::vector<std::string>& StepDef::Branch(const std::string& list) const {
  static const std::vector<std::string> kNone;
  auto it = branches.find(list);
  return it == branches.end() ? kNone : it->second;
}

const StepDef* Definition::FindStep(const std::string& step_name) const {
  for (const StepDef& s : steps) {
    if (s.name == step_name) return &s;
  }
  return nullptr;
}

const ParameterDef* Definition::FindParameter(const std::string& param_name) const {
  for (const ParameterDef& p : parameters) {
    if (p.name == param_name) return &p;
  }
  return nullptr;
}

Status Definition::ErrorAt(const std::string& field, const std::string& message) const {
  SourceLocation loc;
  std::string path = field;
  while (true) {
    auto it = locations.find(path);
    if (it != locations.end()) {
      loc = it->second;
      break;
    }
    size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) break;
    path.resize(cut);
  }
  std::string where = source_path.empty() ? "<definition>" : source_path;
  if (loc.line > 0) where += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  return Status::InvalidArgument(where + ": " + field + ": " + message);
}

}  // namespace grove::pipeline
