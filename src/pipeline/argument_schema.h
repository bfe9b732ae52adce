#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::pipeline {

// The type a step argument takes. kNumber takes integers too; kPath is a file
// or directory (a path, or a step output); kAny is unchecked; kConditions is a
// condition list (a Condition's `conditions`), which ParseStepExpressions
// parses into a condition tree instead of searching it for expressions;
// kTemplate is a list of step definitions instantiated later (a ForEach's
// `steps`), which ParseStepExpressions leaves alone: its expressions name
// steps that exist only once it is instantiated.
enum class ArgType { kAny, kString, kInteger, kNumber, kBoolean, kPath, kList, kObject, kConditions, kTemplate };
const char* ArgTypeName(ArgType type);

// One argument of a step type (StepType::ArgumentSchema).
struct ArgumentSpec {
  ArgumentSpec(std::string name, ArgType type, std::vector<std::string> keywords = {})
      : name(std::move(name)), type(type), keywords(std::move(keywords)) {}

  std::string name;
  ArgType type = ArgType::kAny;
  // Strings also accepted where the type is another, e.g. "newest-approved"
  // for a Deploy step's Integer `version`.
  std::vector<std::string> keywords;
};

// The quoted-scalar rule, the same for every argument: a value is coerced to
// the argument's type where it can be read as one without loss, so YAML's
// `"50"` and SageMaker's string-typed values work where a number is expected.
// Strings that read in full as a number become numbers for kInteger/kNumber
// ("3", "0.5", "1e3"; an Integer must be whole: 1.5 and "1.5" are refused);
// "true"/"false" (any case) become booleans for kBoolean; numbers and
// booleans become text for kString. Anything else of the wrong kind is an
// error saying what was expected and what was given. Null passes.
Status CoerceArgument(const ArgumentSpec& spec, Json& value);

// The number `text` reads as in full (strtod syntax, finite), if any.
std::optional<double> ReadNumberText(const std::string& text);

// What a value of `type` may be used as: whether an expression of type
// `given` can feed an argument of type `wanted` (after CoerceArgument).
bool Assignable(ArgType given, ArgType wanted);

}  // namespace grove::pipeline
