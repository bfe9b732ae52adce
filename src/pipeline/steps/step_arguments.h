#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"

namespace grove::pipeline {

// Checks that `step.arguments` is an object holding every key of `required`
// and no key outside `required` + `optional`; errors name the field and list
// what is accepted.
Status CheckArgumentKeys(const StepDef& step, const Definition& def, std::initializer_list<const char*> required,
                         std::initializer_list<const char*> optional);

// `value` with every expression replaced by the string "<expression>", for
// validating literal arguments before anything is resolved.
Json LiteralView(const Json& value);

// The entries of an object whose values are not expressions (an object as is
// when it is not one), for checking what is known before anything resolves.
Json LiteralEntries(const Json& object);

// The field path of an argument, e.g. "steps.Train.arguments.hyperparameters".
std::string ArgumentField(const StepDef& step, const std::string& key);

// An argument as a string (strings as is, numbers and booleans as text).
std::string ArgumentText(const Json& args, const std::string& key, const std::string& fallback = "");

}  // namespace grove::pipeline
