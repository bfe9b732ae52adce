#include "common/file_util.h"
#include "ml/model.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "registry/registry.h"

namespace grove::pipeline {

namespace {

// The model's family and format: a Grove model document names its family;
// anything else is taken as an XGBoost model file.
Result<Json> ModelKind(const Json& model_path) {
  if (!model_path.is_string()) return Json{{"family", "xgboost"}, {"format", "xgboost"}};
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(model_path.get<std::string>()));
  if (!ml::IsModelDocument(bytes)) return Json{{"family", "xgboost"}, {"format", "xgboost"}};
  Json doc = Json::parse(bytes);
  return Json{{"family", doc.value("family", "")}, {"format", std::string(ml::kModelFormat)},
              {"task", doc.value("task", "")}};
}

// Registers the model as the next version of its group, with the evaluation
// report (model quality) and the fitted transform attached. Cached like any
// step: re-running with the same model, report and status reuses the version
// registered before instead of piling up identical versions.
class RegisterModelStep : public StepType {
 public:
  std::string_view Name() const override { return "RegisterModel"; }
  int Version() const override { return 2; }  // 2: records the model's family and format.
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  std::vector<std::string> InputArguments(const StepDef&) const override {
    return {"model", "model_metrics", "transform"};
  }

  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"group", "model"},
                                      {"approval_status", "model_metrics", "transform", "description"}));
    const Json& status = step.arguments.value("approval_status", Json());
    if (status.is_string() && !registry::Registry::IsApprovalStatus(status.get<std::string>())) {
      return def.ErrorAt(ArgumentField(step, "approval_status"),
                         "expected PendingManualApproval, Approved or Rejected, got " + status.dump());
    }
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    if (ctx.registry == nullptr) return Status::Internal("no model registry available");
    store::ModelVersionRecord version;
    version.group = ArgumentText(ctx.arguments, "group");
    version.approval_status = ArgumentText(ctx.arguments, "approval_status", "PendingManualApproval");
    version.model_digest = ctx.input_digests.value("model", "");
    if (ctx.input_digests.contains("model_metrics")) {
      version.metrics["model_quality"] = ctx.input_digests["model_metrics"];
    }
    if (ctx.input_digests.contains("transform")) version.metadata["transform"] = ctx.input_digests["transform"];
    version.metadata["description"] = ArgumentText(ctx.arguments, "description");
    ASSIGN_OR_RETURN(Json kind, ModelKind(ctx.arguments["model"]));
    for (const auto& [key, value] : kind.items()) version.metadata[key] = value;
    version.metadata["pipeline"] = ctx.pipeline;
    version.execution_id = ctx.execution_id;
    version.step_name = ctx.step->name;
    ASSIGN_OR_RETURN(store::ModelVersionRecord stored, ctx.registry->Register(version));
    ctx.metadata = {{"model_version",
                     {{"group", stored.group}, {"version", stored.version},
                      {"approval_status", stored.approval_status}}}};
    ctx.log("registered " + store::VersionRef(stored.group, stored.version) + " (" + stored.approval_status +
            ")");
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeRegisterModelStep() { return std::make_unique<RegisterModelStep>(); }

}  // namespace grove::pipeline
