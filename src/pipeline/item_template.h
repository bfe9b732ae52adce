#pragma once

// A ForEach step's `steps`: a template of steps written once and instantiated
// once per item, as the steps of that item (`<step>[<item>]`).
//
// The template is a list of steps in the form a definition writes them
// ({name, type, arguments, depends_on, description, cache, retry}; a
// Condition's if_steps/else_steps nest further steps). Instantiating it for
// one item:
//   - renames every template step `S` to `S[<item>]`, and every reference to
//     one (Get Steps.S.Outputs.x, JsonGet {step: S}, depends_on: S) with it,
//     so an item's steps read each other's outputs; references to steps
//     outside the template are left as written;
//   - replaces `${item}` in every string with the item, and `${item.data}`
//     with the item's own data (an artifact reference; see ForEach);
//   - lifts nested step lists into steps guarded by their step, as the YAML
//     reader does for written steps.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

// Whether `item` may be an item: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 100 characters.
bool IsValidItem(std::string_view item);
// "Train[DummyDim2]".
std::string ItemStepName(const std::string& step, const std::string& item);
// Whether `name` is an item's step name: a valid name, then [<valid item>].
bool IsItemStepName(std::string_view name);
// {"Train", "DummyDim2"} of "Train[DummyDim2]"; {"", ""} for a name that names no item.
std::pair<std::string, std::string> SplitItemStepName(std::string_view name);

struct TemplateItem {
  std::string item;
  std::string data;  // What `${item.data}` becomes; empty: using it is an error.
};

// The steps of `item`, checked for shape (names, types, keys). `field` is
// where the template was written ("steps.PerDimension.arguments.steps") for
// messages. Expressions are not parsed (CheckExpansion does).
Result<std::vector<StepDef>> InstantiateTemplate(const Json& steps, const std::string& field,
                                                 const TemplateItem& item, const StepTypeRegistry& types);

// The template's steps as written, for views of the definition (the pipeline
// graph): names, references and `${item}` unchanged, nested step lists lifted
// as InstantiateTemplate does, expressions parsed. Errors as InstantiateTemplate's.
Result<std::vector<StepDef>> TemplateSteps(const Json& steps, const std::string& field,
                                           const StepTypeRegistry& types);

}  // namespace grove::pipeline
