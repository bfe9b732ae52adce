#include "pipeline/parameters.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace grove::pipeline {
namespace {

std::string WithArticle(ParamType type) {
  return std::string(type == ParamType::kInteger ? "an " : "a ") + ParamTypeName(type);
}

// Full parse of `text` as T with std::from_chars; one leading '+' is allowed.
template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, *out);
  return begin != end && ec == std::errc() && ptr == end;
}

std::string ValueText(const Json& value) {
  return value.is_string() ? "'" + value.get<std::string>() + "'" : value.dump();
}

std::string JoinValues(const std::vector<Json>& values) {
  std::string out;
  for (const Json& v : values) {
    out += (out.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

Status UnknownParameter(const Definition& def, const std::string& name) {
  std::string known;
  for (const ParameterDef& p : def.parameters) known += (known.empty() ? "" : ", ") + p.name;
  return Status::InvalidArgument(
      "unknown parameter '" + name + "' (" +
      (known.empty() ? "this pipeline has no parameters" : "parameters: " + known) + ")");
}

// Checks the enum and fills in defaults. `typed` holds given values already of their type.
Result<Json> Finish(const Definition& def, const std::map<std::string, Json>& typed) {
  Json values = Json::object();
  for (const ParameterDef& p : def.parameters) {
    auto it = typed.find(p.name);
    if (it == typed.end()) {
      if (!p.default_value) {
        return Status::InvalidArgument("parameter " + p.name + " (" + ParamTypeName(p.type) +
                                       ") has no default and must be given");
      }
      values[p.name] = *p.default_value;
      continue;
    }
    Json value = it->second;
    if (p.type == ParamType::kFloat) value = value.get<double>();
    if (!p.enum_values.empty() &&
        std::find(p.enum_values.begin(), p.enum_values.end(), value) == p.enum_values.end()) {
      return Status::InvalidArgument("parameter " + p.name + ": " + ValueText(value) + " is not one of " +
                                     JoinValues(p.enum_values));
    }
    values[p.name] = std::move(value);
  }
  return values;
}

}  // namespace

bool IsOfType(ParamType type, const Json& value) {
  switch (type) {
    case ParamType::kString: return value.is_string();
    case ParamType::kInteger: return value.is_number_integer();
    case ParamType::kFloat: return value.is_number();
    case ParamType::kBoolean: return value.is_boolean();
  }
  return false;
}

Result<Json> ParseParameterText(ParamType type, const std::string& text) {
  switch (type) {
    case ParamType::kString: return Json(text);
    case ParamType::kInteger: {
      int64_t v = 0;
      if (ParseNumber(text, &v)) return Json(v);
      break;
    }
    case ParamType::kFloat: {
      double v = 0;
      if (ParseNumber(text, &v) && std::isfinite(v)) return Json(v);
      break;
    }
    case ParamType::kBoolean:
      if (text == "true" || text == "True" || text == "1") return Json(true);
      if (text == "false" || text == "False" || text == "0") return Json(false);
      return Status::InvalidArgument("'" + text +
                                     "' is not a Boolean (expected true, false, True, False, 1 or 0)");
  }
  return Status::InvalidArgument("'" + text + "' is not " + WithArticle(type));
}

Result<Json> CoerceParameters(const Definition& def, const std::map<std::string, std::string>& given) {
  std::map<std::string, Json> typed;
  for (const auto& [name, text] : given) {
    const ParameterDef* p = def.FindParameter(name);
    if (p == nullptr) return UnknownParameter(def, name);
    Result<Json> value = ParseParameterText(p->type, text);
    if (!value.ok()) return value.status().WithContext("parameter " + name);
    typed[name] = std::move(*value);
  }
  return Finish(def, typed);
}

Result<Json> CoerceParameters(const Definition& def, const Json& given) {
  if (!given.is_object()) {
    return Status::InvalidArgument("parameters must be an object of name: value, not " + given.dump());
  }
  std::map<std::string, Json> typed;
  for (const auto& [name, value] : given.items()) {
    const ParameterDef* p = def.FindParameter(name);
    if (p == nullptr) return UnknownParameter(def, name);
    if (IsOfType(p->type, value)) {
      typed[name] = value;
    } else if (value.is_string()) {
      Result<Json> parsed = ParseParameterText(p->type, value.get<std::string>());
      if (!parsed.ok()) return parsed.status().WithContext("parameter " + name);
      typed[name] = std::move(*parsed);
    } else {
      return Status::InvalidArgument("parameter " + name + ": " + value.dump() + " is not " +
                                     WithArticle(p->type));
    }
  }
  return Finish(def, typed);
}

}  // namespace grove::pipeline
