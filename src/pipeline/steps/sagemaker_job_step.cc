#include "pipeline/steps/builtin_steps.h"

namespace grove::pipeline {

namespace {

// A step of a SageMaker pipeline definition that Grove cannot run yet
// (Processing, Training, Tuning, RegisterModel, Model, Transform, Lambda,
// ...; see sagemaker_json_reader.h). It keeps its SageMaker `type` and
// `request` (the Create* request, expressions translated), so the definition
// is accepted, stored, validated and described, and its references to other
// steps order the graph. Its properties (the Describe* response, read by
// `Get Steps.<name>.<path>`) are its property file. Running it fails the
// step, naming the type and the container image.
class SageMakerJobStep : public StepType {
 public:
  std::string_view Name() const override { return "SageMakerJob"; }
  int Version() const override { return 1; }
  bool Cacheable() const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"properties"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "properties"; }

  Status Validate(const StepDef& step, const Definition& def) const override {
    if (!step.arguments.contains("type") || !step.arguments["type"].is_string()) {
      return def.ErrorAt("steps." + step.name + ".arguments.type", "the SageMaker step type is missing");
    }
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    const std::string type = ctx.arguments.value("type", "");
    const Json& request = ctx.arguments.value("request", Json::object());
    std::string image;
    for (const char* path : {"/AppSpecification/ImageUri", "/AlgorithmSpecification/TrainingImage",
                             "/PrimaryContainer/Image", "/InferenceSpecification/Containers/0/Image"}) {
      const Json::json_pointer pointer(path);
      if (request.contains(pointer) && request[pointer].is_string()) image = request[pointer].get<std::string>();
    }
    return Status::Unimplemented("Grove cannot run SageMaker " + type + " steps yet" +
                                 (image.empty() ? "" : " (image " + image + ")") +
                                 "; Condition and Fail steps run, and Grove's own step types run everything else");
  }
};

}  // namespace

std::unique_ptr<StepType> MakeSageMakerJobStep() { return std::make_unique<SageMakerJobStep>(); }

}  // namespace grove::pipeline
