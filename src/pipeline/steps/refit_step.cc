#include "common/file_util.h"
#include "ml/dataset.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "pipeline/steps/tuning_results.h"

namespace grove::pipeline {

namespace {

// Fits the best family and hyperparameters of a Tuning step (its `best`
// output) on a label-first training CSV, as the reference's RefitBestModel
// step does; writes the model in Grove's model document format.
class RefitStep : public StepType {
 public:
  std::string_view Name() const override { return "Refit"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"model"}; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"train", "best"}; }

  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"train", ArgType::kPath},
            {"best", ArgType::kPath}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    return CheckArgumentKeys(step, def, {"train", "best"}, {});
  }

  Status Run(StepContext& ctx) const override {
    ASSIGN_OR_RETURN(std::string text, ReadFile(ctx.arguments["best"].get<std::string>()));
    Json best = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (best.is_discarded()) return Status::InvalidArgument("best: not a JSON document");
    ASSIGN_OR_RETURN(ml::Dataset train,
                     ml::Dataset::ReadLabelFirstCsv(ctx.arguments["train"].get<std::string>(), "train"));
    RETURN_IF_ERROR(RefitBest(best, train, ctx.OutputPath("model")));
    ctx.metadata = {{"family", best["family"]}, {"hyperparameters", best.value("hyperparameters", Json::object())}};
    ctx.log("refit " + best["family"].get<std::string>() + " " + ctx.metadata["hyperparameters"].dump() + " on " +
            std::to_string(train.rows) + " rows");
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeRefitStep() { return std::make_unique<RefitStep>(); }

}  // namespace grove::pipeline
