#include "common/file_util.h"
#include "common/tar_gz.h"
#include "ml/model.h"
#include "ml/sagemaker_model_archive.h"
#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "registry/registry.h"
#include "store/artifact_store.h"

namespace grove::pipeline {

namespace {

// The optional baseline documents attached by name to the version's metrics map.
constexpr const char* kBaselineArguments[] = {"data_statistics", "data_constraints", "model_statistics",
                                              "model_constraints"};

// The model's family and format (ml::KindOfModelFile); no model file is taken as XGBoost.
Result<Json> ModelKind(const Json& model_path) {
  ml::ModelFileKind kind;
  if (model_path.is_string()) {
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(model_path.get<std::string>()));
    kind = ml::KindOfModelFile(bytes);
  }
  Json out = {{"family", kind.family}, {"format", kind.format}};
  if (kind.format == ml::kModelFormat) out["task"] = kind.task;
  return out;
}

// Registers the model as the next version of its group, with the evaluation
// report (model quality), the fitted transform and any quality baselines
// (kBaselineArguments: SageMaker's ModelMetrics and DriftCheckBaselines, as
// QualityCheck steps write them) attached; baselines go into the version's
// `metrics` map by argument name, as artifact digests, where a later
// QualityCheck with `group` finds them. A model given as
// SageMaker's model.tar.gz (ml/sagemaker_model_archive.h) is registered as the
// XGBoost model inside; metadata "model_archive" names the archive. Never
// cached, as in SageMaker: every execution that reaches it creates a version; the
// version's metadata names the earlier version with the same model artifact,
// if any (`same_model_as`). Run describes the version; Commit, in the process
// that owns the execution, registers it.
class RegisterModelStep : public StepType {
 public:
  std::string_view Name() const override { return "RegisterModel"; }
  int Version() const override { return 3; }  // 2: records the model's family and format; 3: baselines.
  bool Cacheable(const StepDef&) const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  std::vector<std::string> InputArguments(const StepDef&) const override {
    return {"model",           "model_metrics",    "transform",        "data_statistics",
            "data_constraints", "model_statistics", "model_constraints"};
  }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"group", ArgType::kString},
            {"model", ArgType::kPath},
            {"approval_status", ArgType::kString},
            {"model_metrics", ArgType::kPath},
            {"transform", ArgType::kPath},
            {"description", ArgType::kString},
            {"data_statistics", ArgType::kPath},
            {"data_constraints", ArgType::kPath},
            {"model_statistics", ArgType::kPath},
            {"model_constraints", ArgType::kPath}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"group", "model"},
                                      {"approval_status", "model_metrics", "transform", "description",
                                       "data_statistics", "data_constraints", "model_statistics",
                                       "model_constraints"}));
    const Json& status = step.arguments.value("approval_status", Json());
    if (status.is_string() && !registry::Registry::IsApprovalStatus(status.get<std::string>())) {
      return def.ErrorAt(ArgumentField(step, "approval_status"),
                         "expected PendingManualApproval, Approved or Rejected, got " + status.dump());
    }
    return Status::OK();
  }

  Status Run(StepContext& ctx) const override {
    Json version = {{"group", ArgumentText(ctx.arguments, "group")},
                    {"approval_status", ArgumentText(ctx.arguments, "approval_status", "PendingManualApproval")},
                    {"model_digest", ctx.input_digests.value("model", "")},
                    {"metrics", Json::object()}};
    Json metadata = Json::object();
    if (ctx.input_digests.contains("model_metrics")) {
      version["metrics"]["model_quality"] = ctx.input_digests["model_metrics"];
    }
    for (const char* name : kBaselineArguments) {
      if (ctx.input_digests.contains(name)) version["metrics"][name] = ctx.input_digests[name];
    }
    if (ctx.input_digests.contains("transform")) metadata["transform"] = ctx.input_digests["transform"];
    metadata["description"] = ArgumentText(ctx.arguments, "description");
    if (ctx.arguments["model"].is_string() && IsGzipFile(ctx.arguments["model"].get<std::string>())) {
      // SageMaker's model.tar.gz: the version's model is the XGBoost model inside, in XGBoost's JSON.
      if (ctx.artifacts == nullptr) return Status::Internal("no artifact store to unpack the model archive into");
      ASSIGN_OR_RETURN(ml::XgboostBooster booster,
                       ml::ReadXgboostModelArchive(ctx.arguments["model"].get<std::string>()));
      ASSIGN_OR_RETURN(std::string json, booster.Save(ml::XgboostBooster::Format::kJson));
      ASSIGN_OR_RETURN(store::ArtifactRecord unpacked, ctx.artifacts->PutBytes(json));
      metadata["model_archive"] = version["model_digest"];
      version["model_digest"] = unpacked.digest;
      version["unpacked"] = {{"uri", unpacked.uri}, {"size", unpacked.size_bytes}};
    }
    ASSIGN_OR_RETURN(Json kind, ModelKind(ctx.arguments["model"]));
    for (const auto& [key, value] : kind.items()) metadata[key] = value;
    metadata["pipeline"] = ctx.pipeline;
    version["metadata"] = std::move(metadata);
    ctx.effects = {{"register", std::move(version)}};
    return Status::OK();
  }

  Status Commit(CommitContext& ctx) const override {
    if (ctx.registry == nullptr || ctx.txn == nullptr) return Status::Internal("no model registry available");
    const Json& v = ctx.effects.at("register");
    store::ModelVersionRecord version;
    version.group = v.at("group").get<std::string>();
    version.approval_status = v.at("approval_status").get<std::string>();
    version.model_digest = v.at("model_digest").get<std::string>();
    version.metrics = v.at("metrics");
    version.metadata = v.at("metadata");
    version.execution_id = ctx.execution_id;
    if (v.contains("unpacked")) {  // The model taken out of a model.tar.gz, recorded as an artifact.
      store::ArtifactRecord unpacked;
      unpacked.digest = version.model_digest;
      unpacked.uri = v["unpacked"].value("uri", "");
      unpacked.size_bytes = v["unpacked"].value("size", int64_t{0});
      unpacked.created_at = SystemClock::Default()->Now();
      RETURN_IF_ERROR(ctx.txn->InsertArtifact(unpacked));
    }
    version.step_name = ctx.step->name;
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> earlier, ctx.txn->ListModelVersions(version.group));
    for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
      if (!version.model_digest.empty() && it->model_digest == version.model_digest) {
        version.metadata["same_model_as"] = it->version;
        break;
      }
    }
    ASSIGN_OR_RETURN(store::ModelVersionRecord stored, ctx.registry->Register(*ctx.txn, version));
    ctx.metadata = {{"model_version",
                     {{"group", stored.group}, {"version", stored.version},
                      {"approval_status", stored.approval_status}}}};
    std::string same = stored.metadata.contains("same_model_as")
                           ? ", the same model as version " + stored.metadata["same_model_as"].dump()
                           : "";
    ctx.log("registered " + store::VersionRef(stored.group, stored.version) + " (" + stored.approval_status + same +
            ")");
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeRegisterModelStep() { return std::make_unique<RegisterModelStep>(); }

}  // namespace grove::pipeline
