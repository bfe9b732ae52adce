#include "pipeline/steps/step_arguments.h"

#include <algorithm>

#include "pipeline/expression.h"

namespace grove::pipeline {

std::string ArgumentField(const StepDef& step, const std::string& key) {
  return "steps." + step.name + ".arguments" + (key.empty() ? "" : "." + key);
}

Status CheckArgumentKeys(const StepDef& step, const Definition& def, std::initializer_list<const char*> required,
                         std::initializer_list<const char*> optional) {
  if (!step.arguments.is_object()) {
    return def.ErrorAt(ArgumentField(step, ""), "expected a mapping of arguments");
  }
  std::string accepted;
  for (const char* k : required) accepted += std::string(accepted.empty() ? "" : ", ") + k;
  for (const char* k : optional) accepted += std::string(accepted.empty() ? "" : ", ") + k;
  for (const char* k : required) {
    if (!step.arguments.contains(k)) {
      return def.ErrorAt("steps." + step.name, "a " + step.type + " step needs the argument '" + k +
                                                   "' (arguments: " + accepted + ")");
    }
  }
  for (const auto& item : step.arguments.items()) {
    const std::string& key = item.key();  // Not a structured binding: clang 14 cannot capture those.
    auto is = [&](const char* k) { return key == k; };
    if (std::none_of(required.begin(), required.end(), is) && std::none_of(optional.begin(), optional.end(), is)) {
      return def.ErrorAt(ArgumentField(step, key), "unknown argument of a " + step.type + " step (arguments: " +
                                                       accepted + ")");
    }
  }
  return Status::OK();
}

Json LiteralEntries(const Json& object) {
  if (!object.is_object()) return object;
  Json literal = Json::object();
  for (const auto& [key, value] : object.items()) {
    if (!IsExpression(value)) literal[key] = value;
  }
  return literal;
}

Json LiteralView(const Json& value) {
  if (IsExpression(value)) return Json("<expression>");
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto it = out.begin(); it != out.end(); ++it) *it = LiteralView(*it);
    return out;
  }
  return value;
}

std::string ArgumentText(const Json& args, const std::string& key, const std::string& fallback) {
  if (!args.is_object() || !args.contains(key) || args[key].is_null()) return fallback;
  return ScalarText(args[key]);
}

}  // namespace grove::pipeline
