#pragma once

// Parameter values of an execution: given values coerced to the declared
// types, defaults filled in, enums checked.

#include <map>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"

namespace grove::pipeline {

// Whether `value` is a value of `type`. Float accepts integers too.
bool IsOfType(ParamType type, const Json& value);

// Parses command-line text as `type`: Integer and Float must parse in full
// (Float must be finite), Boolean is true/false/True/False/1/0, String is kept.
// The error says e.g. "'abc' is not a Float".
Result<Json> ParseParameterText(ParamType type, const std::string& text);

// All parameter values, in definition order, from text given on the command
// line (`-p Name=value`). Missing parameters take their default (an error for
// ones without), unknown names are an error listing the known ones, values
// outside the enum are an error listing it. Float values are stored as floats.
// Messages look like "parameter MseThreshold: 'abc' is not a Float".
Result<Json> CoerceParameters(const Definition& def, const std::map<std::string, std::string>& given);

// As above from a JSON object of typed values (the REST API). A string given
// for a non-String parameter is parsed as on the command line, since
// SageMaker clients send every value as a string.
Result<Json> CoerceParameters(const Definition& def, const Json& given);

}  // namespace grove::pipeline
