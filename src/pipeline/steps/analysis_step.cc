#include "common/file_util.h"
#include "data/fitted_transform.h"
#include "ml/post_training_analysis.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"

namespace grove::pipeline {

namespace {

// Seed 004's post-training analysis of a binary classifier
// (ml/post_training_analysis.h): the confusion table binned by threshold and
// the features' split counts, named by the preparation's `transform` when
// given. Outputs: `analysis` (JSON, the property file), `confusion` and
// `importance` (CSV).
class AnalysisStep : public StepType {
 public:
  std::string_view Name() const override { return "Analysis"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"analysis", "confusion", "importance"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "analysis"; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"model", "test", "transform"}; }
  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"model", ArgType::kPath}, {"test", ArgType::kPath}, {"transform", ArgType::kPath},
            {"bins", ArgType::kInteger}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    return CheckArgumentKeys(step, def, {"model", "test"}, {"transform", "bins"});
  }

  Status Run(StepContext& ctx) const override {
    ml::AnalysisRequest request;
    request.model = ArgumentText(ctx.arguments, "model");
    request.test = ArgumentText(ctx.arguments, "test");
    request.bins = ctx.arguments.value("bins", 10);
    request.nthread = ctx.threads;
    if (ctx.arguments.contains("transform")) {
      ASSIGN_OR_RETURN(std::string text, ReadFile(ArgumentText(ctx.arguments, "transform")));
      Json json = Json::parse(text, nullptr, false);
      auto transform = json.is_discarded() ? Result<data::FittedTransform>(Status::InvalidArgument("not JSON"))
                                           : data::FittedTransform::FromJson(json);
      if (!transform.ok()) return transform.status().WithContext("transform");
      request.feature_names = transform->feature_names();
    }
    ASSIGN_OR_RETURN(Json analysis, ml::AnalyseModel(request));
    RETURN_IF_ERROR(WriteFileAtomic(ctx.OutputPath("analysis"), analysis.dump(2)));
    RETURN_IF_ERROR(WriteFileAtomic(ctx.OutputPath("confusion"), ml::BinnedConfusionCsv(analysis)));
    RETURN_IF_ERROR(WriteFileAtomic(ctx.OutputPath("importance"), ml::FeatureImportanceCsv(analysis)));
    const Json& top = analysis["feature_importance"];
    ctx.log("analysed " + analysis["rows"].dump() + " rows; most used feature: " +
            (top.empty() ? std::string("-") : top[0]["feature"].get<std::string>()));
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeAnalysisStep() { return std::make_unique<AnalysisStep>(); }

}  // namespace grove::pipeline
