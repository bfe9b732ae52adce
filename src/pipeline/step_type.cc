#include "pipeline/step_type.h"

namespace grove::pipeline {

void StepTypeRegistry::Register(std::unique_ptr<StepType> type) {
  std::string name(type->Name());
  schemas_[name] = type->ArgumentSchema();
  types_[name] = std::move(type);
}

const StepType* StepTypeRegistry::Find(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}

const ArgumentSpec* StepTypeRegistry::FindArgument(const StepDef& step, const std::string& name) const {
  auto it = schemas_.find(step.type);
  if (it == schemas_.end()) return nullptr;
  for (const ArgumentSpec& spec : it->second) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> StepTypeRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, type] : types_) names.push_back(name);
  return names;
}

}  // namespace grove::pipeline
