#pragma once

// Reads a pipeline definition written in YAML (or JSON, which YAML parses):
//
//   pipeline: abalone                # required; [A-Za-z0-9][A-Za-z0-9_-]*
//   description: text
//   parameters:                      # name -> {type, default, enum, description}; order kept
//     MseThreshold: {type: Float, default: 6.0}   # type: String|Integer|Float|Boolean
//   steps:                           # required, non-empty
//     - name: Train                  # required; same pattern as the pipeline name
//       type: Training               # required
//       description: text
//       depends_on: [Prepare]        # or a single name
//       cache: {enabled: true, expire_after: P30D}   # or `cache: false`
//       retry: {max_attempts: 3, interval_seconds: 1, backoff_rate: 2.0}
//       arguments: {...}             # any tree, kept as JSON
//
// Arguments that a step type declares as nested step lists (a Condition's
// `if_steps` and `else_steps`) are lists of step definitions; they are lifted
// out of the arguments into Definition::steps right after their step (depth
// first), with guard_step/guard_branch set, and their names kept in
// StepDef::branches.
//
// Scalars follow the YAML 1.2 core schema: unquoted ones become integers,
// floats, booleans (true/True/TRUE/false/False/FALSE) or null (~, null, empty)
// when they parse as such, else strings (so `yes`, `0x1F` and `.inf` stay
// strings); quoted and block scalars are always strings. Float parameters'
// integer defaults and enum values are stored as floats.
//
// Every field read gets a SourceLocation in Definition::locations (see the
// path scheme in definition.h); list items add "[i]". Scalars are located at
// their value, collections and empty values at their key.
//
// Errors are InvalidArgument "<file>:<line>:<column>: <field>: <what is wrong
// and what is expected>"; malformed YAML is "<file>:<line>:<column>: <yaml-cpp's message>".
// Structure only is checked here (keys, kinds, names, durations, duplicates);
// references, types and the graph are ValidateDefinition's. Each step's
// arguments are parsed into StepDef::expressions (ParseStepExpressions); a
// malformed expression is recorded there and reported by ValidateDefinition.

#include <filesystem>
#include <string>

#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

// Parses `text`; `source_path` is used in messages and kept in the Definition.
// `types` tells which arguments hold nested step lists (StepType::NestedStepLists).
Result<Definition> ReadDefinition(const std::string& text, const std::string& source_path,
                                  const StepTypeRegistry& types);
// As above with the built-in step types.
Result<Definition> ReadDefinition(const std::string& text, const std::string& source_path);

// Reads and parses a file. NotFound naming the file when it does not exist.
Result<Definition> ReadDefinitionFile(const std::filesystem::path& path);

}  // namespace grove::pipeline
