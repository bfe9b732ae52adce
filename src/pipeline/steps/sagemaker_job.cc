#include "pipeline/steps/sagemaker_job.h"

#include <cstdlib>

#include "common/ascii.h"
#include "pipeline/s3_folders.h"

namespace grove::pipeline {

namespace {

constexpr const char* kEndpointVariable = "GROVE_STEP_S3_ENDPOINT";
constexpr const char* kRegionVariable = "GROVE_STEP_S3_REGION";
constexpr const char* kKeyIdVariable = "GROVE_STEP_ACCESS_KEY_ID";
constexpr const char* kSecretVariable = "GROVE_STEP_SECRET_ACCESS_KEY";

}  // namespace

Status SageMakerJobBase::Validate(const StepDef& step, const Definition& def) const {
  if (!step.arguments.contains("type") || !step.arguments["type"].is_string()) {
    return def.ErrorAt("steps." + step.name + ".arguments.type", "the SageMaker step type is missing");
  }
  return Status::OK();
}

Status SageMakerJobBase::Commit(CommitContext& ctx) const {
  if (!ctx.effects.is_object() || !ctx.effects.contains("objects")) return Status::OK();
  if (ctx.txn == nullptr) return Status::Internal("no store transaction to record the job's S3 objects in");
  RETURN_IF_ERROR(RecordObjects(*ctx.txn, ctx.effects["objects"], SystemClock::Default()->Now()));
  ctx.log("wrote " + std::to_string(ctx.effects["objects"].size()) + " object(s) to S3");
  return Status::OK();
}

std::string SageMakerJobName(const StepContext& ctx) {
  return "pipelines-" + ctx.execution_id + "-" + AsciiLowercase(ctx.step->name);
}

std::string SageMakerImage(const Json& request) {
  for (const char* path : {"/AppSpecification/ImageUri", "/AlgorithmSpecification/TrainingImage",
                           "/PrimaryContainer/Image", "/InferenceSpecification/Containers/0/Image",
                           "/TrainingJobDefinition/AlgorithmSpecification/TrainingImage"}) {
    const Json::json_pointer pointer(path);
    if (request.contains(pointer) && request[pointer].is_string()) return request[pointer].get<std::string>();
  }
  return "";
}

Json ByName(const Json& list, const std::string& name_key) {
  if (!list.is_array()) return list;
  Json out = Json::object();
  for (const Json& item : list) {
    if (item.is_object() && item.contains(name_key) && item[name_key].is_string()) {
      out[item[name_key].get<std::string>()] = item;
    }
  }
  return out;
}

std::map<std::string, std::string> StepS3Environment() {
  const char* endpoint = std::getenv(kEndpointVariable);
  if (endpoint == nullptr || *endpoint == '\0') return {};
  auto get = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : fallback);
  };
  const std::string region = get(kRegionVariable, "us-east-1");
  return {{"AWS_ENDPOINT_URL", endpoint},
          {"AWS_DEFAULT_REGION", region},
          {"AWS_REGION", region},
          {"AWS_ACCESS_KEY_ID", get(kKeyIdVariable, "grove")},
          {"AWS_SECRET_ACCESS_KEY", get(kSecretVariable, "grove")}};
}

void SetStepS3Access(const std::string& endpoint, const std::string& region, const std::string& access_key_id,
                     const std::string& secret_access_key) {
  setenv(kEndpointVariable, endpoint.c_str(), 1);
  setenv(kRegionVariable, region.c_str(), 1);
  setenv(kKeyIdVariable, access_key_id.c_str(), 1);
  setenv(kSecretVariable, secret_access_key.c_str(), 1);
}

}  // namespace grove::pipeline
