#pragma once

// What the steps of a SageMaker pipeline definition share (the reader,
// sagemaker_json_reader.h, maps Processing to SageMakerProcessing, Training to
// SageMakerTraining, and what Grove cannot run to SageMakerJob). Each keeps
// its SageMaker `type` and Create* `request` (expressions translated) as
// arguments, beside the step's own members such as PropertyFiles. Its one
// output, "properties", is its Describe* response, which `Get
// Steps.<name>.<path>` reads; there, lists of named things (a job's
// ProcessingOutputConfig.Outputs, ProcessingInputs, InputDataConfig) are
// objects by name, so `Outputs['train']` is the path Outputs.train.

#include <string>

#include "common/json.h"
#include "ml/xgboost_booster.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

class SageMakerJobBase : public StepType {
 public:
  std::vector<std::string> Outputs(const StepDef&) const override { return {"properties"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "properties"; }
  Status Validate(const StepDef& step, const Definition& def) const override;
  // Records the S3 objects the job wrote (effects "objects", see s3_folders.h).
  Status Commit(CommitContext& ctx) const override;
};

// The job's name, as SageMaker names a pipeline's jobs: pipelines-<execution>-<step>, lowercase.
std::string SageMakerJobName(const std::string& execution_id, const std::string& step);
std::string SageMakerJobName(const StepContext& ctx);

// Writes `booster` as the model.tar.gz that `image` writes (at dir/model.tar.gz)
// and stores it as the object <S3OutputPath>/<job>/output/model.tar.gz, where
// `output_config` is the job's OutputDataConfig (named `field` in errors).
// Returns the object's URI and the object to record (s3_folders.h).
Result<std::pair<std::string, Json>> StoreModelArchive(StepContext& ctx, const ml::XgboostBooster& booster,
                                                       const std::string& image, const Json& output_config,
                                                       const std::string& field, const std::string& job,
                                                       const std::filesystem::path& dir);

// Output parameters {name: value} as SageMaker's step metadata lists them: [{Name, Value (text)}].
Json OutputParameterList(const Json& values);

// The container image the request names, if any.
std::string SageMakerImage(const Json& request);

// OK for an image of SageMaker's built-in XGBoost algorithm (any image whose
// URI names xgboost), else Unimplemented naming the image and `job` ("Training").
Status RequireXgboostImage(const std::string& image, const std::string& job);

// `list` (of objects) as an object keyed by each item's `name_key` member.
Json ByName(const Json& list, const std::string& name_key);

// Downloads a training job's channels (InputDataConfig: ChannelName,
// ContentType text/csv, DataSource.S3DataSource.S3Uri) from Grove's S3 under
// `dir`: channel name -> the one CSV file to read (a channel of several files
// is read as their concatenation in name order).
Result<std::map<std::string, std::filesystem::path>> DownloadChannels(StepContext& ctx, const Json& input_data_config,
                                                                      const std::filesystem::path& dir);

// The environment that gives a step's own AWS calls Grove's S3: the endpoint,
// region and access key the hosting process set (SetStepS3Access), as
// AWS_ENDPOINT_URL, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY. Empty when no server hosts the steps.
std::map<std::string, std::string> StepS3Environment();

// Called once by a server before it starts threads: where its S3 answers and
// the key steps use. Kept in the process environment
// (GROVE_STEP_S3_ENDPOINT, ...), so `grove step-run` children inherit it.
void SetStepS3Access(const std::string& endpoint, const std::string& region, const std::string& access_key_id,
                     const std::string& secret_access_key);

}  // namespace grove::pipeline
