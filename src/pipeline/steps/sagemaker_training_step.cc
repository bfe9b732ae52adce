#include <fstream>

#include "common/file_util.h"
#include "ml/sagemaker_model_archive.h"
#include "ml/xgboost_trainer.h"
#include "pipeline/s3_folders.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

// The one CSV file training reads from a channel's folder: the file itself
// when there is one, else the files concatenated in name order (a channel
// may hold several parts, as SageMaker's do).
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
    if (image.find("xgboost") == std::string::npos) {
      return Status::Unimplemented("Grove runs SageMaker Training jobs of the built-in XGBoost algorithm "
                                   "(a sagemaker-xgboost image), not image " +
                                   (image.empty() ? std::string("(none)") : image));
    }
    const fs::path root = ctx.output_dir / "job";
    std::map<std::string, fs::path> channels;
    const Json config = request.value("InputDataConfig", Json::array());
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
      const fs::path dir = root / "data" / name;
      RETURN_IF_ERROR(DownloadS3Prefix(*ctx.store, *ctx.artifacts, uri, dir).WithContext("channel " + name));
      ASSIGN_OR_RETURN(channels[name], ChannelFile(dir, name));
      ctx.log("channel " + name + ": " + uri);
    }
    if (!channels.count("train")) return Status::InvalidArgument("InputDataConfig has no \"train\" channel");

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
    const fs::path archive = root / "model.tar.gz";
    RETURN_IF_ERROR(ml::WriteXgboostModelArchive(booster, ml::ModelFormOfImage(image), archive));
    std::string output_path = request.value("OutputDataConfig", Json::object()).value("S3OutputPath", "");
    while (!output_path.empty() && output_path.back() == '/') output_path.pop_back();
    if (output_path.empty()) return Status::InvalidArgument("OutputDataConfig.S3OutputPath is missing");
    const std::string job = SageMakerJobName(ctx);
    const std::string model_uri = output_path + "/" + job + "/output/model.tar.gz";
    ASSIGN_OR_RETURN(Json object, StoreFileAsObject(*ctx.artifacts, archive, model_uri));
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
