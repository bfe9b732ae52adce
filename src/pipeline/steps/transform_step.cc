#include "common/file_util.h"
#include "pipeline/batch_transform.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

// Batch transform (SageMaker's Transform step, seed 003): runs a model over a
// CSV file or a folder of them and writes the predictions, one per row,
// joined to the inputs as `join_source`/`input_filter`/`output_filter` ask
// (ml/batch_transform.h). The model is `model` (a path or step output, with
// `transform` for raw rows) or a registered version: `group` with `version`
// (a number, or newest-approved by default), whose fitted transform is used
// when `raw: true`. Output `predictions` (CSV). Cached, except with `group`
// and no version number: the newest approved version changes.
class TransformStep : public StepType {
 public:
  std::string_view Name() const override { return "Transform"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef& step) const override {
    const Json& version = step.arguments.value("version", Json());
    return !step.arguments.contains("group") || version.is_number_integer();
  }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"predictions"}; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"model", "transform", "input"}; }
  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"model", ArgType::kPath},         {"transform", ArgType::kPath},   {"group", ArgType::kString},
            {"version", ArgType::kInteger, {"newest-approved"}},              {"raw", ArgType::kBoolean},
            {"input", ArgType::kPath},         {"header", ArgType::kBoolean},   {"input_filter", ArgType::kString},
            {"join_source", ArgType::kString}, {"output_filter", ArgType::kString}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"input"},
                                      {"model", "transform", "group", "version", "raw", "header", "input_filter",
                                       "join_source", "output_filter"}));
    if (step.arguments.contains("model") == step.arguments.contains("group")) {
      return def.ErrorAt(ArgumentField(step, "model"), "give exactly one of model (a model file or step output) "
                                                       "and group (a registered model group)");
    }
    const Json join = LiteralView(step.arguments.value("join_source", Json()));
    if (join.is_string() && join != "None" && join != "Input" && join != "<expression>") {
      return def.ErrorAt(ArgumentField(step, "join_source"), "expected None or Input, got " + join.dump());
    }
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    BatchTransformRequest request;
    request.input = ArgumentText(ctx.arguments, "input");
    request.header = ctx.arguments.value("header", false);
    request.input_filter = ArgumentText(ctx.arguments, "input_filter", "$");
    request.join_source = ArgumentText(ctx.arguments, "join_source", "None");
    request.output_filter = ArgumentText(ctx.arguments, "output_filter", "$");
    request.nthread = ctx.threads;
    if (ctx.arguments.contains("group")) {
      RETURN_IF_ERROR(RegisteredModel(ctx, request));
    } else {
      request.model = ArgumentText(ctx.arguments, "model");
      request.transform = ArgumentText(ctx.arguments, "transform");
    }
    ASSIGN_OR_RETURN(BatchTransformResult result, RunBatchTransform(request));
    RETURN_IF_ERROR(WriteFileAtomic(ctx.OutputPath("predictions"), result.csv));
    ctx.metadata["rows"] = result.rows;
    ctx.log("predicted " + std::to_string(result.rows) + " rows");
    return Status::OK();
  }

 private:
  static Status RegisteredModel(StepContext& ctx, BatchTransformRequest& request) {
    if (ctx.store == nullptr || ctx.artifacts == nullptr) return Status::Internal("no store to read the registry from");
    const std::string group = ArgumentText(ctx.arguments, "group");
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, ctx.store->ListModelVersions(group));
    const Json& wanted = ctx.arguments.value("version", Json("newest-approved"));
    const store::ModelVersionRecord* chosen = nullptr;
    for (const store::ModelVersionRecord& v : versions) {
      if (wanted.is_number_integer() ? v.version == wanted.get<int>() : v.approval_status == store::kApproved) {
        chosen = &v;
      }
    }
    if (chosen == nullptr) {
      return Status::FailedPrecondition("model group '" + group + "' has no " +
                                        (wanted.is_number_integer() ? "version " + wanted.dump() : "Approved version"));
    }
    ctx.metadata["model_version"] = store::VersionRef(group, chosen->version);
    ASSIGN_OR_RETURN(std::filesystem::path model, ctx.artifacts->LocalPath(chosen->model_digest));
    request.model = model;
    if (ctx.arguments.value("raw", false)) {
      const Json& transform = chosen->metadata.value("transform", Json());
      if (!transform.is_string()) {
        return Status::FailedPrecondition(store::VersionRef(group, chosen->version) +
                                          " has no fitted transform for raw rows");
      }
      ASSIGN_OR_RETURN(request.transform, ctx.artifacts->LocalPath(transform.get<std::string>()));
    }
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeTransformStep() { return std::make_unique<TransformStep>(); }

}  // namespace grove::pipeline
