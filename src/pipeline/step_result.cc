#include "pipeline/step_result.h"

namespace grove::pipeline {

const char* StepResult::KindName() const {
  switch (kind) {
    case Kind::kOutputs:
      return "outputs";
    case Kind::kBranch:
      return "branch";
    case Kind::kExecutionFailure:
      return "fail";
    case Kind::kExpansion:
      return "expansion";
  }
  return "outputs";
}

Json StepResult::ToJson() const {
  Json j = {{"kind", KindName()}};
  if (kind == Kind::kBranch) j["branch"] = branch;
  if (kind == Kind::kExecutionFailure) j["message"] = message;
  if (kind == Kind::kExpansion) {
    j["steps"] = StepDefsToJson(steps);
    j["contained"] = contained;
  }
  return j;
}

Result<StepResult> StepResult::FromJson(const Json& j) {
  const std::string kind = j.value("kind", "outputs");
  if (kind == "outputs") return Outputs();
  if (kind == "branch") return Branch(j.value("branch", ""));
  if (kind == "fail") return FailExecution(j.value("message", ""));
  if (kind == "expansion") {
    ASSIGN_OR_RETURN(std::vector<StepDef> added, StepDefsFromJson(j.value("steps", Json::array())));
    return Expansion(std::move(added), j.value("contained", false));
  }
  return Status::InvalidArgument("unknown step result kind '" + kind + "'");
}

void StepResult::RecordInMetadata(Json& metadata) const {
  if (kind == Kind::kBranch) metadata["branch"] = branch;
  if (kind == Kind::kExpansion) {
    metadata["expansion"] = StepDefsToJson(steps);
    if (contained) metadata["expansion_contained"] = true;
  }
}

Result<StepResult> StepResult::FromMetadata(const Json& metadata) {
  if (metadata.contains("expansion")) {
    ASSIGN_OR_RETURN(std::vector<StepDef> added, StepDefsFromJson(metadata["expansion"]));
    return Expansion(std::move(added), metadata.value("expansion_contained", false));
  }
  if (metadata.contains("branch") && metadata["branch"].is_string()) return Branch(metadata["branch"].get<std::string>());
  return Outputs();
}

}  // namespace grove::pipeline
