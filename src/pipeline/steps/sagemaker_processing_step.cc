#include "common/file_util.h"
#include "pipeline/s3_folders.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"
#include "pipeline/steps/sandbox.h"
#include "pipeline/steps/script_runner.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

// Where the boto3 shim is mounted inside the sandbox (on PYTHONPATH).
constexpr const char* kShimDir = "/opt/grove/python";

// Debian's boto3 predates AWS_ENDPOINT_URL: this sitecustomize (Python
// imports it at startup from PYTHONPATH) gives every botocore client that
// names no endpoint the one in AWS_ENDPOINT_URL, and S3 clients path-style
// addressing, which Grove's S3 answers. Newer boto3 reads the variable
// itself; the shim changes nothing for them.
constexpr const char* kBotoShim = R"(# Grove: the script's boto3 clients reach Grove's S3 (AWS_ENDPOINT_URL).
import os

_endpoint = os.environ.get("AWS_ENDPOINT_URL")
if _endpoint:
    try:
        import botocore.config
        import botocore.session
    except ImportError:
        pass
    else:
        _create_client = botocore.session.Session.create_client

        def _grove_create_client(self, service_name, *args, **kwargs):
            if len(args) < 5 and kwargs.get("endpoint_url") is None:
                kwargs["endpoint_url"] = _endpoint
            if service_name == "s3" and len(args) < 10:
                path_style = botocore.config.Config(s3={"addressing_style": "path"})
                config = kwargs.get("config")
                kwargs["config"] = path_style if config is None else config.merge(path_style)
            return _create_client(self, service_name, *args, **kwargs)

        botocore.session.Session.create_client = _grove_create_client
)";

std::string Text(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

Status CheckLocalPath(const std::string& path, const std::string& where) {
  if (path.empty() || path.front() != '/' || fs::path(path).lexically_normal() != fs::path(path) ||
      path.find("/..") != std::string::npos) {
    return Status::InvalidArgument(where + ": LocalPath '" + path + "' must be an absolute, normal path");
  }
  return Status::OK();
}

// Runs a SageMaker Processing job whose container runs a script
// (SKLearnProcessor, ScriptProcessor, ...: AppSpecification with a
// ContainerEntrypoint) with the local python3 and its scientific stack in a
// bubblewrap sandbox (sandbox.h): each ProcessingInputs' S3Input is
// downloaded from Grove's S3 to a private folder mounted at its LocalPath,
// each output's LocalPath is an empty private folder, and after the script
// succeeds every file there becomes an object under the output's S3Uri. The
// image itself is not run: a job whose image has no entrypoint script fails
// naming it. PropertyFiles are read from the outputs into the properties.
class SageMakerProcessingStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "SageMakerProcessing"; }
  int Version() const override { return 1; }

  Status Run(StepContext& ctx) const override {
    if (ctx.store == nullptr || ctx.artifacts == nullptr) return Status::Internal("no store for S3 objects");
    const Json& request = ctx.arguments.at("request");
    const Json app = request.value("AppSpecification", Json::object());
    const Json entrypoint = app.value("ContainerEntrypoint", Json::array());
    if (!entrypoint.is_array() || entrypoint.empty()) {
      return Status::Unimplemented("Grove runs SageMaker Processing jobs whose AppSpecification has a "
                                   "ContainerEntrypoint script; this one has none (image " +
                                   SageMakerImage(request) + ")");
    }
    ASSIGN_OR_RETURN(std::string bwrap, FindBwrap());
    const fs::path root = ctx.output_dir / "job";
    SandboxSpec sandbox;
    for (const Json& part : {entrypoint, app.value("ContainerArguments", Json::array())}) {
      for (const Json& arg : part) sandbox.argv.push_back(arg.is_string() ? arg.get<std::string>() : arg.dump());
    }

    const Json inputs = request.value("ProcessingInputs", Json::array());
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Json s3 = inputs[i].value("S3Input", Json());
      const std::string where = "ProcessingInputs[" + std::to_string(i) + "]";
      if (!s3.is_object()) return Status::Unimplemented(where + ": Grove supports S3Input inputs only");
      const std::string local = Text(s3, "LocalPath");
      RETURN_IF_ERROR(CheckLocalPath(local, where));
      const fs::path host = root / "inputs" / std::to_string(i);
      Status downloaded = DownloadS3Prefix(*ctx.store, *ctx.artifacts, Text(s3, "S3Uri"), host);
      if (!downloaded.ok()) return downloaded.WithContext(where + " (" + Text(inputs[i], "InputName") + ")");
      ctx.log("input " + Text(inputs[i], "InputName") + ": " + Text(s3, "S3Uri") + " -> " + local);
      sandbox.read_only_binds.emplace_back(host, local);
    }
    const Json outputs = request.value("ProcessingOutputConfig", Json::object()).value("Outputs", Json::array());
    std::map<std::string, fs::path> output_dirs;  // OutputName -> host folder.
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Json s3 = outputs[i].value("S3Output", Json());
      const std::string where = "ProcessingOutputConfig.Outputs[" + std::to_string(i) + "]";
      if (!s3.is_object()) return Status::Unimplemented(where + ": Grove supports S3Output outputs only");
      RETURN_IF_ERROR(CheckLocalPath(Text(s3, "LocalPath"), where));
      const fs::path host = root / "outputs" / std::to_string(i);
      fs::create_directories(host);
      output_dirs[Text(outputs[i], "OutputName")] = host;
      sandbox.binds.emplace_back(host, Text(s3, "LocalPath"));
    }
    fs::create_directories(root / "python");
    RETURN_IF_ERROR(WriteFile(root / "python" / "sitecustomize.py", kBotoShim));
    sandbox.read_only_binds.emplace_back(root / "python", kShimDir);

    const Json environment = request.value("Environment", Json::object());
    for (const auto& [name, value] : environment.items()) {
      sandbox.env[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    const auto s3_environment = StepS3Environment();
    for (const auto& [name, value] : s3_environment) sandbox.env[name] = value;
    sandbox.env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    sandbox.env["HOME"] = "/tmp";
    sandbox.env["LANG"] = "C.UTF-8";
    sandbox.env["PYTHONUNBUFFERED"] = "1";
    sandbox.env["PYTHONPATH"] = kShimDir;
    sandbox.env["OMP_NUM_THREADS"] = std::to_string(ctx.threads);
    if (s3_environment.empty()) {
      ctx.log("note: no grove server hosts this step, so the script's own AWS calls have no S3 to reach");
    }

    ScriptRequest script;
    script.argv = SandboxCommand(bwrap, sandbox);
    for (const std::string& arg : sandbox.argv) script.name += (script.name.empty() ? "" : " ") + arg;
    script.log = ctx.log;
    script.stop = ctx.stop;
    RETURN_IF_ERROR(RunScript(script));

    Json objects = Json::array();
    Json properties = request;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const std::string uri = Text(outputs[i]["S3Output"], "S3Uri");
      ASSIGN_OR_RETURN(Json stored, StoreFolderAsObjects(*ctx.artifacts, output_dirs[Text(outputs[i], "OutputName")],
                                                         uri));
      ctx.log("output " + Text(outputs[i], "OutputName") + ": " + std::to_string(stored.size()) + " file(s) -> " + uri);
      for (Json& o : stored) objects.push_back(std::move(o));
    }
    properties["ProcessingJobName"] = SageMakerJobName(ctx);
    properties["ProcessingJobStatus"] = "Completed";
    properties["ExitMessage"] = "";
    properties["ProcessingInputs"] = ByName(inputs, "InputName");
    if (properties.contains("ProcessingOutputConfig")) {
      properties["ProcessingOutputConfig"]["Outputs"] = ByName(outputs, "OutputName");
    }
    Json files = Json::object();
    for (const Json& file : ctx.arguments.value("PropertyFiles", Json::array())) {
      const std::string name = Text(file, "PropertyFileName");
      auto dir = output_dirs.find(Text(file, "OutputName"));
      if (dir == output_dirs.end()) {
        return Status::InvalidArgument("property file " + name + " names output '" + Text(file, "OutputName") +
                                       "', which the job does not have");
      }
      ASSIGN_OR_RETURN(std::string text, ReadFile(dir->second / Text(file, "FilePath")));
      Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        return Status::InvalidArgument("property file " + name + " (" + Text(file, "FilePath") + ") is not JSON");
      }
      files[name] = std::move(parsed);
    }
    properties["PropertyFiles"] = std::move(files);
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("properties"), properties.dump()));
    ctx.effects = {{"objects", std::move(objects)}};
    ctx.metadata = {{"job", SageMakerJobName(ctx)}};
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeSageMakerProcessingStep() { return std::make_unique<SageMakerProcessingStep>(); }

}  // namespace grove::pipeline
