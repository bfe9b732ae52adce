#include <cstdlib>
#include <set>

#include "common/file_util.h"
#include "ml/xgboost_booster.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;

// SageMaker's XGBoost hyperparameter names -> the names of Grove's xgboost
// model family (ml/xgboost_model.cc), which Grove's Tuning step searches.
const std::map<std::string, std::string, std::less<>> kFamilyNames = {
    {"num_round", "n_estimators"}, {"eta", "learning_rate"},   {"alpha", "reg_alpha"},
    {"lambda", "reg_lambda"},      {"seed", "random_state"},    {"max_depth", "max_depth"},
    {"min_child_weight", "min_child_weight"}, {"subsample", "subsample"}, {"colsample_bytree", "colsample_bytree"},
    {"gamma", "gamma"},            {"booster", "booster"},      {"max_leaves", "max_leaves"},
    {"grow_policy", "grow_policy"}, {"rate_drop", "rate_drop"}, {"skip_drop", "skip_drop"}};
// Static hyperparameters the search does not take: the objective follows from
// the objective metric, logging and threads are Grove's.
const std::set<std::string, std::less<>> kNotSearched = {"objective", "eval_metric", "silent", "verbosity",
                                                         "nthread", "tree_method", "_tuning_objective_metric"};
// Objective metrics and the direction that improves them.
const std::map<std::string, std::string, std::less<>> kMetricDirection = {
    {"validation:rmse", "Minimize"}, {"validation:mse", "Minimize"},    {"validation:mae", "Minimize"},
    {"validation:logloss", "Minimize"}, {"validation:auc", "Maximize"}, {"validation:accuracy", "Maximize"},
    {"validation:f1", "Maximize"}};

Json Scalar(const Json& value) {
  if (!value.is_string()) return value;
  const std::string text = value.get<std::string>();
  char* end = nullptr;
  const long long integer = std::strtoll(text.c_str(), &end, 10);
  if (!text.empty() && *end == '\0') return Json(integer);
  const double number = std::strtod(text.c_str(), &end);
  if (!text.empty() && *end == '\0') return Json(number);
  return value;
}

Result<std::string> FamilyName(const std::string& name, const std::string& where) {
  auto it = kFamilyNames.find(name);
  if (it != kFamilyNames.end()) return it->second;
  std::string known;
  for (const auto& [sagemaker, family] : kFamilyNames) known += (known.empty() ? "" : ", ") + sagemaker;
  return Status::Unimplemented(where + ": Grove's tuning cannot search XGBoost hyperparameter '" + name +
                               "' (it searches " + known + ")");
}

Result<double> Bound(const Json& range, const char* key, const std::string& where) {
  const Json value = Scalar(range.value(key, Json()));
  if (!value.is_number()) return Status::InvalidArgument(where + "." + key + ": expected a number as text");
  return value.get<double>();
}

// The search space of Grove's Tuning step: ParameterRanges plus the static hyperparameters as one-value lists.
Result<Json> SearchSpace(const Json& config, const Json& static_hyperparameters) {
  Json space = Json::object();
  for (const auto& [name, value] : static_hyperparameters.items()) {
    if (kNotSearched.count(name)) continue;
    ASSIGN_OR_RETURN(std::string family, FamilyName(name, "StaticHyperParameters"));
    space[family] = Json::array({Scalar(value)});
  }
  const Json ranges = config.value("ParameterRanges", Json::object());
  for (const char* kind : {"IntegerParameterRanges", "ContinuousParameterRanges", "CategoricalParameterRanges"}) {
    const Json list = ranges.value(kind, Json::array());
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = std::string("ParameterRanges.") + kind + "[" + std::to_string(i) + "]";
      ASSIGN_OR_RETURN(std::string family, FamilyName(list[i].value("Name", ""), where));
      if (std::string(kind) == "CategoricalParameterRanges") {
        Json values = Json::array();
        for (const Json& v : list[i].value("Values", Json::array())) values.push_back(Scalar(v));
        space[family] = std::move(values);
        continue;
      }
      const std::string scaling = list[i].value("ScalingType", "Auto");
      if (scaling == "ReverseLogarithmic") {
        return Status::Unimplemented(where + ": Grove's tuning has no ReverseLogarithmic scaling");
      }
      ASSIGN_OR_RETURN(double low, Bound(list[i], "MinValue", where));
      ASSIGN_OR_RETURN(double high, Bound(list[i], "MaxValue", where));
      const bool integer = std::string(kind) == "IntegerParameterRanges";
      Json domain = {{integer ? "int" : "float",
                      integer ? Json::array({static_cast<int64_t>(low), static_cast<int64_t>(high)})
                              : Json::array({low, high})}};
      if (scaling == "Logarithmic") domain["log"] = true;
      space[family] = std::move(domain);
    }
  }
  return Json{{"xgboost", std::move(space)}};
}

// Runs a SageMaker hyperparameter tuning job (HyperParameterTuningJobConfig
// with one TrainingJobDefinition of the built-in XGBoost algorithm) as Grove's
// Tuning step: ParameterRanges (integer, continuous and categorical, Linear or
// Logarithmic scaling) and the static hyperparameters become the xgboost
// family's search space (SageMaker's names mapped to the family's), Random,
// Bayesian and Grid strategies Grove's random, bayesian (TPE) and grid,
// MaxNumberOfTrainingJobs and MaxParallelTrainingJobs its trial limits, and
// the objective metric (validation:rmse, validation:auc, ...) hold-out scoring
// on the validation channel. The best trial's model, fitted on the train
// channel, is written as the best training job's model.tar.gz at
// <S3OutputPath>/<best job>/output/model.tar.gz, which is where
// TrainingJobSummaries[0] and BestTrainingJob name it (the SDK's
// get_top_model_s3_uri(top_k=0)); other trials keep no model.
class SageMakerTuningStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "SageMakerTuning"; }
  int Version() const override { return 1; }
  int WantedSlots(const Json& arguments) const override {
    const Json::json_pointer at("/request/HyperParameterTuningJobConfig/ResourceLimits/MaxParallelTrainingJobs");
    return arguments.contains(at) && arguments[at].is_number_integer() ? arguments[at].get<int>() : 1;
  }

  Status Run(StepContext& ctx) const override {
    const Json& request = ctx.arguments.at("request");
    const Json config = request.value("HyperParameterTuningJobConfig", Json::object());
    if (!request.contains("TrainingJobDefinition")) {
      return Status::Unimplemented("Grove tunes one TrainingJobDefinition (not TrainingJobDefinitions)");
    }
    const Json definition = request["TrainingJobDefinition"];
    const std::string image = SageMakerImage(request);
    RETURN_IF_ERROR(RequireXgboostImage(image, "tuning"));

    const Json objective = config.value("HyperParameterTuningJobObjective", Json::object());
    const std::string metric = objective.value("MetricName", "");
    auto direction = kMetricDirection.find(metric);
    if (direction == kMetricDirection.end()) {
      std::string known;
      for (const auto& [name, way] : kMetricDirection) known += (known.empty() ? "" : ", ") + name;
      return Status::Unimplemented("objective metric '" + metric + "': Grove's tuning scores " + known);
    }
    if (objective.value("Type", direction->second) != direction->second) {
      return Status::InvalidArgument("HyperParameterTuningJobObjective: " + metric + " improves by " +
                                     direction->second + ", not " + objective.value("Type", ""));
    }
    static const std::map<std::string, std::string, std::less<>> kStrategies = {
        {"Random", "random"}, {"Bayesian", "bayesian"}, {"Grid", "grid"}, {"Hyperband", "random"}};
    const std::string strategy = config.value("Strategy", "Bayesian");
    auto grove_strategy = kStrategies.find(strategy);
    if (grove_strategy == kStrategies.end()) return Status::InvalidArgument("unknown Strategy '" + strategy + "'");

    const fs::path root = ctx.output_dir / "job";
    ASSIGN_OR_RETURN(auto channels, DownloadChannels(ctx, definition.value("InputDataConfig", Json::array()),
                                                     root / "data"));
    if (!channels.count("validation")) {
      return Status::InvalidArgument("the objective metric " + metric + " needs a \"validation\" channel");
    }
    const Json limits = config.value("ResourceLimits", Json::object());
    ASSIGN_OR_RETURN(Json space, SearchSpace(config, definition.value("StaticHyperParameters", Json::object())));
    StepContext tuning = ctx;
    tuning.output_dir = root / "tuning";
    fs::create_directories(tuning.output_dir);
    tuning.arguments = {{"search_space", std::move(space)},
                        {"strategy", grove_strategy->second},
                        {"max_trials", limits.value("MaxNumberOfTrainingJobs", 10)},
                        {"max_parallel_trials", limits.value("MaxParallelTrainingJobs", 1)},
                        {"objective", metric},
                        {"train", channels["train"].string()},
                        {"validation", channels["validation"].string()},
                        {"refit", true}};
    const StepType* grove_tuning = StepTypeRegistry::BuiltIn().Find("Tuning");
    RETURN_IF_ERROR(grove_tuning->Run(tuning));

    ASSIGN_OR_RETURN(std::string model_text, ReadFile(tuning.OutputPath("model")));
    const Json model = Json::parse(model_text);
    ASSIGN_OR_RETURN(ml::XgboostBooster booster,
                     ml::XgboostBooster::LoadFromBuffer(model.at("state").at("booster").get<std::string>()));
    const Json best = tuning.metadata.at("best");
    const std::string job = SageMakerJobName(ctx);
    char number[16];
    std::snprintf(number, sizeof number, "%03d", best.value("trial", 0) + 1);
    const std::string best_job = job + "-" + number;
    ASSIGN_OR_RETURN(auto stored,
                     StoreModelArchive(ctx, booster, image, definition.value("OutputDataConfig", Json::object()),
                                       "TrainingJobDefinition.OutputDataConfig", best_job, root));
    auto& [model_uri, object] = stored;
    ctx.log("best training job " + best_job + ": " + model_uri);

    // Scores are Grove's scorers' (greater is better): error metrics come back positive.
    const double score = best.value("mean_score", 0.0);
    const double value = direction->second == "Minimize" ? -score : score;
    Json tuned = Json::object();
    const Json best_hyperparameters = best.value("hyperparameters", Json::object());
    for (const auto& [family_name, v] : best_hyperparameters.items()) {
      for (const auto& [sagemaker, family] : kFamilyNames) {
        if (family == family_name) tuned[sagemaker] = v.is_string() ? v.get<std::string>() : v.dump();
      }
    }
    const Json best_training = {{"TrainingJobName", best_job},
                                {"TrainingJobStatus", "Completed"},
                                {"TunedHyperParameters", tuned},
                                {"FinalHyperParameterTuningJobObjectiveMetric",
                                 {{"MetricName", metric}, {"Value", value}}},
                                {"ObjectiveStatus", "Succeeded"}};
    Json properties = request;
    properties["HyperParameterTuningJobName"] = job;
    properties["HyperParameterTuningJobStatus"] = "Completed";
    properties["BestTrainingJob"] = best_training;
    properties["TrainingJobSummaries"] = Json::array({best_training});
    properties["ModelArtifacts"] = {{"S3ModelArtifacts", model_uri}};
    RETURN_IF_ERROR(WriteFile(ctx.OutputPath("properties"), properties.dump()));
    ctx.effects = {{"objects", Json::array({std::move(object)})}};
    ctx.metadata = tuning.metadata;
    ctx.metadata["job"] = job;
    ctx.metadata["best_training_job"] = best_job;
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeSageMakerTuningStep() { return std::make_unique<SageMakerTuningStep>(); }

}  // namespace grove::pipeline
