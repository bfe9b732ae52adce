#include "pipeline/steps/sagemaker_job.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "common/ascii.h"
#include "common/file_util.h"
#include "ml/sagemaker_model_archive.h"
#include "pipeline/s3_folders.h"

namespace grove::pipeline {

namespace {

constexpr const char* kEndpointVariable = "GROVE_STEP_S3_ENDPOINT";
constexpr const char* kRegionVariable = "GROVE_STEP_S3_REGION";
constexpr const char* kKeyIdVariable = "GROVE_STEP_ACCESS_KEY_ID";
constexpr const char* kSecretVariable = "GROVE_STEP_SECRET_ACCESS_KEY";

namespace fs = std::filesystem;

// The one CSV file training reads from a channel's folder.
Result<fs::path> ChannelFile(const fs::path& dir, const std::string& channel) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) return Status::InvalidArgument("channel " + channel + " holds no files");
  if (files.size() == 1) return files[0];
  const fs::path joined = dir.string() + ".csv";
  std::ofstream out(joined, std::ios::binary);
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    out << text;
    if (!text.empty() && text.back() != '\n') out << '\n';
  }
  if (!out.flush()) return Status::IOError("cannot write " + joined.string());
  return joined;
}

}  // namespace

Result<std::map<std::string, fs::path>> DownloadChannels(StepContext& ctx, const Json& config, const fs::path& dir) {
  if (ctx.store == nullptr || ctx.artifacts == nullptr) return Status::Internal("no store for S3 objects");
  std::map<std::string, fs::path> channels;
  for (size_t i = 0; i < config.size(); ++i) {
    const std::string name = config[i].value("ChannelName", "");
    const std::string content_type = config[i].value("ContentType", "text/csv");
    if (content_type.find("csv") == std::string::npos) {
      return Status::Unimplemented("channel " + name + ": Grove's XGBoost reads text/csv, not " + content_type);
    }
    const Json::json_pointer uri_at("/DataSource/S3DataSource/S3Uri");
    if (!config[i].contains(uri_at) || !config[i][uri_at].is_string()) {
      return Status::InvalidArgument("InputDataConfig[" + std::to_string(i) + "]: DataSource.S3DataSource.S3Uri "
                                     "is missing");
    }
    const std::string uri = config[i][uri_at].get<std::string>();
    RETURN_IF_ERROR(DownloadS3Prefix(*ctx.store, *ctx.artifacts, uri, dir / name).WithContext("channel " + name));
    ASSIGN_OR_RETURN(channels[name], ChannelFile(dir / name, name));
    ctx.log("channel " + name + ": " + uri);
  }
  if (!channels.count("train")) return Status::InvalidArgument("InputDataConfig has no \"train\" channel");
  return channels;
}

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

std::string SageMakerJobName(const std::string& execution_id, const std::string& step) {
  return "pipelines-" + execution_id + "-" + AsciiLowercase(step);
}

std::string SageMakerJobName(const StepContext& ctx) { return SageMakerJobName(ctx.execution_id, ctx.step->name); }

Result<std::pair<std::string, Json>> StoreModelArchive(StepContext& ctx, const ml::XgboostBooster& booster,
                                                       const std::string& image, const Json& output_config,
                                                       const std::string& field, const std::string& job,
                                                       const fs::path& dir) {
  const fs::path archive = dir / "model.tar.gz";
  RETURN_IF_ERROR(ml::WriteXgboostModelArchive(booster, ml::ModelFormOfImage(image), archive));
  std::string output_path = output_config.value("S3OutputPath", "");
  while (!output_path.empty() && output_path.back() == '/') output_path.pop_back();
  if (output_path.empty()) return Status::InvalidArgument(field + ".S3OutputPath is missing");
  const std::string uri = output_path + "/" + job + "/output/model.tar.gz";
  ASSIGN_OR_RETURN(Json object, StoreFileAsObject(*ctx.artifacts, archive, uri));
  return std::make_pair(uri, std::move(object));
}

Json OutputParameterList(const Json& values) {
  Json listed = Json::array();
  for (const auto& [name, value] : values.items()) {
    listed.push_back({{"Name", name}, {"Value", value.is_string() ? value.get<std::string>() : value.dump()}});
  }
  return listed;
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

Status RequireXgboostImage(const std::string& image, const std::string& job) {
  if (image.find("xgboost") != std::string::npos) return Status::OK();
  return Status::Unimplemented("Grove runs SageMaker " + job + " jobs of the built-in XGBoost algorithm (a "
                               "sagemaker-xgboost image), not image " + (image.empty() ? std::string("(none)") : image));
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
