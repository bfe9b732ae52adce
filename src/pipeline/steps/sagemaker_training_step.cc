#include "common/file_util.h"
#include "ml/xgboost_trainer.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

// Runs a SageMaker Training job for the built-in XGBoost algorithm (any
// sagemaker-xgboost image) with Grove's native XGBoost: the request's
// HyperParameters (SageMaker's names, values as strings), its "train" and
// optional "validation" channels (label-first CSV, downloaded from Grove's S3)
// and, as the image's container does, the model written as
// <S3OutputPath>/<job>/output/model.tar.gz holding `xgboost-model` in that
// image version's form (ml/sagemaker_model_archive.h). Other images fail,
// naming the image.
class SageMakerTrainingStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "SageMakerTraining"; }
  int Version() const override { return 1; }

  Status Run(StepContext& ctx) const override {
    if (ctx.store == nullptr || ctx.artifacts == nullptr) return Status::Internal("no store for S3 objects");
    const Json& request = ctx.arguments.at("request");
    const std::string image = SageMakerImage(request);
    RETURN_IF_ERROR(RequireXgboostImage(image, "Training"));
    const fs::path root = ctx.output_dir / "job";
    const Json config = request.value("InputDataConfig", Json::array());
    ASSIGN_OR_RETURN(auto channels, DownloadChannels(ctx, config, root / "data"));

    ml::TrainRequest train;
    train.train = channels["train"];
    if (channels.count("validation")) train.validation = channels["validation"];
    train.hyperparameters = request.value("HyperParameters", Json::object());
    train.model_out = root / "model.json";
    train.log = ctx.log;
    train.stop = ctx.stop;
    train.nthread = ctx.threads;
    ASSIGN_OR_RETURN(ml::TrainSummary summary, ml::TrainXgboost(train));

    ASSIGN_OR_RETURN(ml::XgboostBooster booster, ml::XgboostBooster::LoadFromFile(train.model_out));
    const std::string job = SageMakerJobName(ctx);
    ASSIGN_OR_RETURN(auto stored, StoreModelArchive(ctx, booster, image, request.value("OutputDataConfig", Json::object()),
                                                    "OutputDataConfig", job, root));
    auto& [model_uri, object] = stored;
    ctx.log("model: " + model_uri);

    Json metric_list = Json::array();
    const Json final_metrics = summary.FinalMetrics();
    for (const auto& [name, value] : final_metrics.items()) {
      std::string metric = name;  // "validation-rmse" -> SageMaker's "validation:rmse".
      if (size_t dash = metric.find('-'); dash != std::string::npos) metric[dash] = ':';
      metric_list.push_back({{"MetricName", metric}, {"Value", value}});
    }
    Json properties = request;
    properties["TrainingJobName"] = job;
    properties["TrainingJobStatus"] = "Completed";
    properties["SecondaryStatus"] = "Completed";
    properties["ModelArtifacts"] = {{"S3ModelArtifacts", model_uri}};
    properties["FinalMetricDataList"] = std::move(metric_list);
    properties["InputDataConfig"] = ByName(config, "ChannelName");
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("properties"), properties.dump()));
    ctx.effects = {{"objects", Json::array({std::move(object)})}};
    ctx.metadata = summary.StepMetadata();
    ctx.metadata["job"] = job;
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeSageMakerTrainingStep() { return std::make_unique<SageMakerTrainingStep>(); }

}  // namespace grove::pipeline
