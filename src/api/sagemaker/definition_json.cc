#include "api/sagemaker/definition_json.h"

namespace grove::api::sagemaker {

namespace {

Json StepJson(const pipeline::Definition& def, const pipeline::StepDef& step) {
  Json arguments = step.arguments;
  for (const auto& [list, names] : step.branches) {
    Json nested = Json::array();
    for (const std::string& name : names) {
      if (const pipeline::StepDef* s = def.FindStep(name)) nested.push_back(StepJson(def, *s));
    }
    // A Condition's if_steps/else_steps are SageMaker's IfSteps/ElseSteps.
    const std::string key = list == "if_steps" ? "IfSteps" : list == "else_steps" ? "ElseSteps" : list;
    if (arguments.is_object()) arguments.erase(list);
    arguments[key] = std::move(nested);
  }
  Json out = {{"Name", step.name}, {"Type", step.type}, {"Arguments", std::move(arguments)}};
  if (!step.depends_on.empty()) out["DependsOn"] = step.depends_on;
  if (!step.description.empty()) out["Description"] = step.description;
  if (step.cache.enabled && step.cache.expire_after > 0) {
    out["CacheConfig"] = {{"Enabled", true}, {"ExpireAfter", "PT" + std::to_string(step.cache.expire_after / 1000) + "S"}};
  }
  return out;
}

}  // namespace

Json SageMakerDefinition(const pipeline::Definition& def) {
  Json parameters = Json::array();
  for (const pipeline::ParameterDef& p : def.parameters) {
    Json param = {{"Name", p.name}, {"Type", pipeline::ParamTypeName(p.type)}};
    if (p.default_value) param["DefaultValue"] = *p.default_value;
    if (!p.enum_values.empty()) param["EnumValues"] = p.enum_values;
    if (!p.description.empty()) param["Description"] = p.description;
    parameters.push_back(std::move(param));
  }
  Json steps = Json::array();
  for (const pipeline::StepDef& step : def.steps) {
    if (step.guard_step.empty()) steps.push_back(StepJson(def, step));
  }
  return {{"Version", "2020-12-01"}, {"Metadata", Json::object()}, {"Parameters", std::move(parameters)},
          {"PipelineExperimentConfig",
           {{"ExperimentName", {{"Get", "Execution.PipelineName"}}}, {"TrialName", {{"Get", "Execution.PipelineExecutionId"}}}}},
          {"Steps", std::move(steps)}};
}

}  // namespace grove::api::sagemaker
