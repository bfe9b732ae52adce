#include "pipeline/sagemaker_json_reader.h"

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "pipeline/graph.h"
#include "pipeline/validator.h"

namespace grove::pipeline {
namespace {

std::string Reference(const std::string& name) {
  return ReadFile(std::string(GROVE_SOURCE_DIR) + "/src/pipeline/testdata/sagemaker/" + name).value();
}

Result<Definition> ReadJson(const std::string& text, const std::string& name = "p") {
  return ReadSageMakerDefinition(text, name, name + ".json", StepTypeRegistry::BuiltIn());
}

// The SDK's Abalone definition: Processing -> Training -> Processing with a
// property file -> Condition on Std:JsonGet -> RegisterModel, Model, Transform | Fail.
TEST(SageMakerJsonReaderTest, ReadsTheSdksAbaloneDefinition) {
  const std::string text = Reference("abalone-batch-transform.json");
  ASSERT_TRUE(IsSageMakerDefinition(text));
  auto def = ReadJson(text, "abalone");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  Status valid = ValidateDefinition(*def, StepTypeRegistry::BuiltIn());
  ASSERT_TRUE(valid.ok()) << valid.ToString();
  EXPECT_EQ(def->name, "abalone");
  EXPECT_EQ(def->source_text, text) << "the definition is kept exactly as sent";
  ASSERT_NE(def->FindParameter("MseThreshold"), nullptr);
  EXPECT_EQ(def->FindParameter("MseThreshold")->type, ParamType::kFloat);
  EXPECT_EQ(*def->FindParameter("MseThreshold")->default_value, 6.0);

  const StepDef* train = def->FindStep("AbaloneTrain");
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->type, "SageMakerTraining");
  EXPECT_EQ(train->arguments["type"], "Training");
  EXPECT_EQ(def->FindStep("AbaloneProcess")->type, "SageMakerProcessing");
  EXPECT_EQ(def->FindStep("AbaloneCreateModel-CreateModel")->type, "SageMakerJob") << "Model steps do not run yet";
  EXPECT_EQ(def->FindStep("AbaloneEval")->arguments["PropertyFiles"][0]["PropertyFileName"], "EvaluationReport");

  // RegisterModel becomes Grove's, fed by the URIs SageMaker's request names.
  const StepDef* reg = def->FindStep("AbaloneRegisterModel-RegisterModel");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->type, "RegisterModel");
  EXPECT_EQ(reg->arguments["group"], "AbaloneModelPackageGroupName");
  EXPECT_EQ(reg->arguments["model"],
            Json::parse(R"({"JsonGet": {"step": "AbaloneTrain", "path": "ModelArtifacts.S3ModelArtifacts"}})"));
  EXPECT_EQ(reg->arguments["model_metrics"], "s3://sagemaker-us-west-2-000000000000/script-abalone-eval-2022-07-13-"
                                             "16-07-53-265/output/evaluation/evaluation.json");
  EXPECT_EQ(reg->arguments["approval_status"], Json::parse(R"({"Get": "Parameters.ModelApprovalStatus"})"));
  EXPECT_EQ(train->arguments["request"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"],
            Json::parse(R"({"JsonGet": {"step": "AbaloneProcess",
                                        "path": "ProcessingOutputConfig.Outputs.train.S3Output.S3Uri"}})"));

  const StepDef* cond = def->FindStep("AbaloneMSECond");
  ASSERT_NE(cond, nullptr);
  EXPECT_EQ(cond->type, "Condition");
  EXPECT_EQ(cond->arguments["conditions"][0],
            Json::parse(R"({"LessThanOrEqualTo": [
                {"JsonGet": {"step": "AbaloneEval", "path": "PropertyFiles.EvaluationReport.regression_metrics.mse.value"}},
                {"Get": "Parameters.MseThreshold"}]})"));
  EXPECT_EQ(cond->Branch("if_steps"),
            (std::vector<std::string>{"AbaloneRegisterModel-RegisterModel", "AbaloneCreateModel-CreateModel",
                                      "AbaloneTransform"}));
  EXPECT_EQ(cond->Branch("else_steps"), std::vector<std::string>{"AbaloneMSEFail"});
  const StepDef* fail = def->FindStep("AbaloneMSEFail");
  ASSERT_NE(fail, nullptr);
  EXPECT_EQ(fail->guard_step, "AbaloneMSECond");
  EXPECT_EQ(fail->arguments["message"],
            Json::parse(R"({"Join": {"on": " ", "values": ["Execution failed due to MSE >", {"Get": "Parameters.MseThreshold"}]}})"));

  // References order the graph as DependsOn would.
  StepGraph graph(*def);
  auto train_index = *graph.Find("AbaloneTrain");
  auto cond_index = *graph.Find("AbaloneMSECond");
  EXPECT_EQ(graph.Name(graph.Dependencies(train_index).at(0)), "AbaloneProcess");
  EXPECT_EQ(graph.Name(graph.Dependencies(cond_index).at(0)), "AbaloneEval");
}

TEST(SageMakerJsonReaderTest, EveryReferenceDefinitionReadsAndValidates) {
  for (const char* name : {"abalone-batch-transform.json", "abalone-lambda-step.json", "condition-interpolated.json",
                           "quality-check-data-quality.json", "quality-check-model-quality.json"}) {
    std::string text = Reference(name);
    // The quality-check files are single steps, as the SDK's tests print them, naming parameters declared elsewhere.
    const bool single_step = !IsSageMakerDefinition(text);
    if (single_step) text = R"({"Version": "2020-12-01", "Steps": [)" + text + "]}";
    auto def = ReadJson(text);
    ASSERT_TRUE(def.ok()) << name << ": " << def.status().ToString();
    if (single_step) {
      EXPECT_EQ(def->steps.at(0).arguments["CheckType"].is_string(), true) << name << ": the step's own members are kept";
      continue;
    }
    Status valid = ValidateDefinition(*def, StepTypeRegistry::BuiltIn());
    EXPECT_TRUE(valid.ok()) << name << ": " << valid.ToString();
  }
}

TEST(SageMakerJsonReaderTest, ConditionsOfEveryFormBecomeGroves) {
  auto def = ReadJson(Reference("condition-interpolated.json"));
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  const Json& c = def->FindStep("MyConditionStep")->arguments["conditions"];
  EXPECT_EQ(c[0], Json::parse(R"({"Equals": [{"Get": "Parameters.MyInt1"}, {"Get": "Parameters.MyInt2"}]})"));
  EXPECT_EQ(c[5], Json::parse(R"({"In": [{"Get": "Parameters.MyStr"}, ["abc", "def"]]})"));
  EXPECT_EQ(c[6]["In"][1][1], Json::parse(R"({"JsonGet": {"step": "MyStep0", "path": "TrainingJobName"}})"));
  EXPECT_EQ(c[7], Json::parse(R"({"Not": {"Equals": [{"Get": "Parameters.MyInt1"}, {"Get": "Parameters.MyInt2"}]}})"));
  EXPECT_TRUE(c[9].contains("Or"));
  EXPECT_EQ(c[1]["GreaterThan"][0], Json::parse(R"({"Get": "Execution.StartDateTime"})"));
}

TEST(SageMakerJsonReaderTest, PoliciesBecomeCacheAndRetry) {
  auto def = ReadJson(R"({"Version": "2020-12-01", "Steps": [
      {"Name": "F", "Type": "Fail", "Arguments": {"ErrorMessage": "no"},
       "CacheConfig": {"Enabled": true, "ExpireAfter": "30d"},
       "RetryPolicies": [{"ExceptionType": ["Step.SERVICE_FAULT"], "IntervalSeconds": 2, "BackoffRate": 1.5,
                          "MaxAttempts": 3}]},
      {"Name": "G", "Type": "Fail", "DependsOn": ["F"]}]})");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  const StepDef& f = def->steps[0];
  EXPECT_TRUE(f.cache.enabled);
  EXPECT_EQ(f.cache.expire_after, 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(f.retry.max_attempts, 4) << "MaxAttempts counts the retries after the first attempt";
  EXPECT_DOUBLE_EQ(f.retry.interval_seconds, 2);
  EXPECT_FALSE(def->steps[1].cache.enabled) << "SageMaker caches only steps that ask";
  EXPECT_EQ(def->steps[1].depends_on, std::vector<std::string>{"F"});
}

TEST(SageMakerJsonReaderTest, ErrorsNameTheJsonPointerOfTheBadField) {
  auto error = [](const std::string& text) {
    auto def = ReadJson(text);
    return def.ok() ? std::string("(read)") : def.status().message();
  };
  EXPECT_EQ(error(R"({"Version": "2020-12-01", "Steps": [{"Name": "C", "Type": "Condition", "Arguments": {
                       "Conditions": [{"Type": "Between", "LeftValue": 1, "RightValue": 2}]}}]})"),
            "p.json: /Steps/0/Arguments/Conditions/0/Type: unknown condition type 'Between' (expected Equals, "
            "GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not or Or)");
  EXPECT_EQ(error(R"({"Version": "2020-12-01", "Parameters": []})"), "p.json: /Steps: missing");
  EXPECT_EQ(error(R"({"Version": "2021-01-01", "Steps": []})"),
            "p.json: /Version: unsupported version \"2021-01-01\" (expected \"2020-12-01\")");
  EXPECT_NE(error(R"({"Version": "2020-12-01", "Steps": [{"Name": "F", "Type": "Fail", "Arguments": {
                       "ErrorMessage": {"Get": "Execution.PipelineArn"}}}]})")
                .find("p.json: /Steps/0/Arguments/ErrorMessage/Get: Grove does not provide Execution.PipelineArn"),
            std::string::npos);
  EXPECT_EQ(error(R"({"Version": "2020-12-01", "Steps": [{"Type": "Fail"}]})"), "p.json: /Steps/0/Name: missing");
  EXPECT_EQ(error(R"({"Version": "2020-12-01", "Parameters": [{"Name": "X", "Type": "Decimal"}], "Steps": []})"),
            "p.json: /Parameters/0/Type: unknown type 'Decimal' (expected String, Integer, Float or Boolean)");
  EXPECT_EQ(error("{not json"), "p.json: not valid JSON");
}

TEST(SageMakerJsonReaderTest, JobStepsMapToTheStepTypesThatRunThem) {
  auto def = ReadJson(R"({"Version": "2020-12-01", "Steps": [
      {"Name": "T", "Type": "Tuning", "Arguments": {"HyperParameterTuningJobConfig": {}}},
      {"Name": "L", "Type": "Lambda", "FunctionArn": "arn:aws:lambda:us-east-1:1:function:f", "Arguments": {}},
      {"Name": "C", "Type": "Callback", "SqsQueueUrl": "q", "Arguments": {"x": {"Get": "Steps.L.OutputParameters['y']"}}},
      {"Name": "Q", "Type": "QualityCheck", "Arguments": {}}]})");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->FindStep("T")->type, "SageMakerTuning");
  EXPECT_EQ(def->FindStep("L")->type, "Lambda");
  EXPECT_EQ(def->FindStep("L")->arguments["FunctionArn"], "arn:aws:lambda:us-east-1:1:function:f");
  EXPECT_EQ(def->FindStep("C")->type, "Callback");
  EXPECT_EQ(def->FindStep("C")->arguments["request"]["x"],
            Json::parse(R"({"JsonGet": {"step": "L", "path": "OutputParameters.y"}})"));
  EXPECT_EQ(def->FindStep("Q")->type, "SageMakerJob");
}

TEST(SageMakerJsonReaderTest, ARegisterModelWithoutAModelIsRefusedAtItsPointer) {
  auto def = ReadJson(R"({"Version": "2020-12-01", "Steps": [{"Name": "R", "Type": "RegisterModel",
      "Arguments": {"ModelPackageGroupName": "g", "InferenceSpecification": {"Containers": [{"Image": "i"}]}}}]})");
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().message(),
            "p.json: /Steps/0/Arguments/InferenceSpecification/Containers/0/ModelDataUrl: missing: Grove registers the "
            "model it names");
}

TEST(SageMakerJsonReaderTest, TellsSageMakerDefinitionsFromOthers) {
  EXPECT_TRUE(IsSageMakerDefinition(R"(  {"Version": "2020-12-01", "Steps": []})"));
  EXPECT_FALSE(IsSageMakerDefinition("pipeline: p\nsteps: []\n"));
  EXPECT_FALSE(IsSageMakerDefinition(R"({"pipeline": "p", "steps": []})"));
  EXPECT_FALSE(IsSageMakerDefinition("{broken"));
}

}  // namespace
}  // namespace grove::pipeline
