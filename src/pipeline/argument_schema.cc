#include "pipeline/argument_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "common/ascii.h"
namespace grove::pipeline {

namespace {

Status Expected(const ArgumentSpec& spec, const Json& value) {
  std::string what = std::string("expected ") + (spec.type == ArgType::kInteger ? "an " : "a ") +
                     ArgTypeName(spec.type);
  for (const std::string& k : spec.keywords) what += " or \"" + k + "\"";
  std::string given = value.dump();
  if (given.size() > 80) given = given.substr(0, 77) + "...";
  return Status::InvalidArgument(what + ", got " + given);
}

}  // namespace

std::optional<double> ReadNumberText(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

const char* ArgTypeName(ArgType type) {
  switch (type) {
    case ArgType::kAny:
      return "value";
    case ArgType::kString:
      return "String";
    case ArgType::kInteger:
      return "Integer";
    case ArgType::kNumber:
      return "Number";
    case ArgType::kBoolean:
      return "Boolean";
    case ArgType::kPath:
      return "path";
    case ArgType::kList:
      return "list";
    case ArgType::kObject:
      return "mapping";
    case ArgType::kConditions:
      return "condition list";
    case ArgType::kTemplate:
      return "list of steps";
  }
  return "value";
}

Status CoerceArgument(const ArgumentSpec& spec, Json& value) {
  if (value.is_null() || spec.type == ArgType::kAny) return Status::OK();
  if (value.is_string() &&
      std::find(spec.keywords.begin(), spec.keywords.end(), value.get<std::string>()) != spec.keywords.end()) {
    return Status::OK();
  }
  switch (spec.type) {
    case ArgType::kString:
    case ArgType::kPath:
      if (value.is_number() || value.is_boolean()) value = value.dump();
      return value.is_string() ? Status::OK() : Expected(spec, value);
    case ArgType::kInteger:
    case ArgType::kNumber: {
      std::optional<double> number;
      if (value.is_number()) number = value.get<double>();
      if (value.is_string()) number = ReadNumberText(value.get<std::string>());
      if (!number) return Expected(spec, value);
      if (spec.type == ArgType::kNumber) {
        if (value.is_string()) value = *number;
        return Status::OK();
      }
      if (*number != std::floor(*number) || std::fabs(*number) > 9.0e15) {
        return Status::InvalidArgument("expected a whole number (an Integer), got " + value.dump());
      }
      value = static_cast<int64_t>(*number);
      return Status::OK();
    }
    case ArgType::kBoolean:
      if (value.is_string() && (AsciiLowercase(value.get<std::string>()) == "true" || AsciiLowercase(value.get<std::string>()) == "false")) {
        value = AsciiLowercase(value.get<std::string>()) == "true";
      }
      return value.is_boolean() ? Status::OK() : Expected(spec, value);
    case ArgType::kList:
    case ArgType::kTemplate:
      return value.is_array() ? Status::OK() : Expected(spec, value);
    case ArgType::kObject:
      return value.is_object() ? Status::OK() : Expected(spec, value);
    case ArgType::kConditions:  // Its shape is checked by parsing (ParseStepExpressions).
    case ArgType::kAny:
      break;
  }
  return Status::OK();
}

bool Assignable(ArgType given, ArgType wanted) {
  if (given == ArgType::kAny || wanted == ArgType::kAny || given == wanted) return true;
  switch (wanted) {
    case ArgType::kNumber:
      return given == ArgType::kInteger;
    case ArgType::kString:
      return given == ArgType::kInteger || given == ArgType::kNumber || given == ArgType::kBoolean ||
             given == ArgType::kPath;
    case ArgType::kPath:
      return given == ArgType::kString;
    default:
      return false;
  }
}

}  // namespace grove::pipeline
