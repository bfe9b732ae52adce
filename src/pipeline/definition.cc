#include "pipeline/definition.h"

namespace grove::pipeline {

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
