#include "app/pipelines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "app/record_json.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;
using testing::kScriptPipeline;

class PipelinesTest : public testing::AppTest {};

TEST_F(PipelinesTest, RegisterStoresANewVersionOnlyWhenTheTextChanges) {
  Pipelines pipelines(*home_);
  auto first = pipelines.Register(Write("p.yaml", kScriptPipeline));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version, 1);
  EXPECT_TRUE(first->new_version);
  auto again = pipelines.Register(Write("p.yaml", kScriptPipeline));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 1);
  EXPECT_FALSE(again->new_version);
  auto changed = pipelines.Register(Write("p.yaml", std::string(kScriptPipeline) + "# a comment\n"));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->version, 2);

  auto list = pipelines.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].latest_version, 2);
  auto v1 = pipelines.Describe("hello", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->definition.body, kScriptPipeline);
  EXPECT_EQ(v1->pipeline.description, "writes two files");
  EXPECT_EQ(pipelines.Describe("nope", 0).status().code(), StatusCode::kNotFound);
}

TEST_F(PipelinesTest, ReadTextChecksTheNameAndVersionsListNewestFirst) {
  auto def = Pipelines::ReadText(kScriptPipeline, "", "POST /api/v1/pipelines");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->name, "hello");
  EXPECT_EQ(def->source_path, "POST /api/v1/pipelines");
  auto other = Pipelines::ReadText(kScriptPipeline, "goodbye", "body");
  EXPECT_EQ(other.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(other.status().message(), HasSubstr("names pipeline 'hello', not 'goodbye'"));
  auto bad = Pipelines::ReadText("pipeline: x\nsteps: [{name: A, type: Nope}]\n", "", "body");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("body"));
  auto sagemaker = Pipelines::ReadText(R"({"Version": "2020-12-01", "Steps": []})", "", "body");
  EXPECT_THAT(sagemaker.status().message(), HasSubstr("carries no name"));

  Pipelines pipelines(*home_);
  ASSERT_TRUE(pipelines.Store(*def).ok());
  ASSERT_TRUE(pipelines.Register(Write("p.yaml", std::string(kScriptPipeline) + "# two\n")).ok());
  auto versions = pipelines.Versions("hello");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_EQ(pipelines.Versions("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(PipelinesTest, AnInvalidDefinitionIsNotStored) {
  Pipelines pipelines(*home_);
  auto bad = pipelines.Register(Write("bad.yaml", "pipeline: x\nsteps:\n  - {name: A, type: Trainng}\n"));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("bad.yaml:3"));
  EXPECT_TRUE(pipelines.List()->empty());
}

// Regression: `grove run <directory>` said "the definition is empty".
TEST_F(PipelinesTest, RunGivenADirectorySaysItIsADirectory) {
  ASSERT_TRUE(MakeDirs(dir_.path() / "defs").ok());
  Write("defs/a.yaml", kScriptPipeline);
  auto read = Pipelines::Read(dir_.path() / "defs");
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("is a directory, not a definition file"));
  EXPECT_THAT(read.status().message(), HasSubstr("a.yaml"));
  EXPECT_THAT(read.status().message(), ::testing::Not(HasSubstr("empty")));
}

// The graph's steps by name, as JSON (record_json's view), to compare whole.
std::map<std::string, Json> GraphSteps(const PipelineGraph& graph) {
  std::map<std::string, Json> out;
  const Json view = ToJson(graph);
  for (const Json& step : view["steps"]) out[step["name"].get<std::string>()] = step;
  return out;
}

std::vector<std::string> StepNames(const PipelineGraph& graph) {
  std::vector<std::string> names;
  for (const GraphStep& step : graph.steps) names.push_back(step.name);
  return names;
}

TEST_F(PipelinesTest, GraphOfAConditionHasItsBranchesAfterItWithTheirDependencies) {
  Pipelines pipelines(*home_);
  ASSERT_TRUE(pipelines.Register(std::string(GROVE_SOURCE_DIR) + "/examples/abalone.yaml").ok());
  auto graph = pipelines.Graph("abalone", 0);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  Json view = ToJson(*graph);
  EXPECT_EQ(view["pipeline"], "abalone");
  EXPECT_EQ(view["version"], 1);
  EXPECT_EQ(view["parameters"][0], Json::parse(R"json({"name": "InputData", "type": "String",
      "default": "datasets/abalone/abalone-dataset.csv", "description": "Headerless abalone CSV (UCI layout)"})json"));
  EXPECT_EQ(view["parameters"][1]["type"], "Float");
  EXPECT_EQ(view["parameters"][1]["default"], 6.0);  // Typed, not text.
  EXPECT_EQ(view["parameters"][2]["enum"], Json::parse(R"(["PendingManualApproval", "Approved", "Rejected"])"));
  EXPECT_FALSE(view["parameters"][2].contains("description"));

  EXPECT_EQ(StepNames(*graph), (std::vector<std::string>{"AbaloneProcess", "AbaloneTrain", "AbaloneEval",
                                                         "CheckMseAbaloneEvaluation", "RegisterAbaloneModel",
                                                         "AbaloneMSEFail"}));
  auto steps = GraphSteps(*graph);
  EXPECT_EQ(steps["AbaloneProcess"],
            Json::parse(R"({"name": "AbaloneProcess", "type": "Processing", "depends_on": []})"));
  EXPECT_EQ(steps["AbaloneEval"]["depends_on"], Json::parse(R"(["AbaloneProcess", "AbaloneTrain"])"));
  // A JsonGet on the evaluation report is a dependency too.
  EXPECT_EQ(steps["CheckMseAbaloneEvaluation"]["depends_on"], Json::parse(R"(["AbaloneEval"])"));
  EXPECT_EQ(steps["RegisterAbaloneModel"],
            Json::parse(R"({"name": "RegisterAbaloneModel", "type": "RegisterModel",
                "depends_on": ["AbaloneEval", "AbaloneProcess", "AbaloneTrain", "CheckMseAbaloneEvaluation"],
                "parent": "CheckMseAbaloneEvaluation", "branch": "if"})"));
  EXPECT_EQ(steps["AbaloneMSEFail"]["branch"], "else");
  EXPECT_EQ(steps["AbaloneMSEFail"]["depends_on"], Json::parse(R"(["CheckMseAbaloneEvaluation"])"));

  EXPECT_THAT(pipelines.Graph("abalone", 2).status().message(), HasSubstr("no version 2 of pipeline 'abalone'"));
  EXPECT_THAT(pipelines.Graph("nope", 0).status().message(), HasSubstr("pipelines: abalone"));
}

TEST_F(PipelinesTest, GraphOfAForEachHasItsTemplateStepsAsWritten) {
  Pipelines pipelines(*home_);
  ASSERT_TRUE(pipelines.Register(std::string(GROVE_SOURCE_DIR) + "/examples/fleet.yaml").ok());
  auto graph = pipelines.Graph("fleet", 1);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(StepNames(*graph),
            (std::vector<std::string>{"PerDimension", "Prepare", "DataQuality", "Train", "Evaluate", "Analyse",
                                      "ModelQuality", "CheckAccuracy", "Register", "Deploy", "AccuracyTooLow"}));
  auto steps = GraphSteps(*graph);
  EXPECT_EQ(steps["PerDimension"]["depends_on"], Json::array());
  EXPECT_FALSE(steps["PerDimension"].contains("parent"));
  EXPECT_EQ(steps["Prepare"], Json::parse(R"({"name": "Prepare", "type": "Processing", "depends_on": ["PerDimension"],
      "parent": "PerDimension", "branch": "template"})"));
  EXPECT_EQ(steps["Train"]["depends_on"], Json::parse(R"(["PerDimension", "Prepare"])"));
  EXPECT_EQ(steps["CheckAccuracy"]["depends_on"], Json::parse(R"(["Evaluate", "PerDimension"])"));
  EXPECT_EQ(steps["CheckAccuracy"]["branch"], "template");
  // A Condition inside the template: its branches hang under it, not under the ForEach.
  EXPECT_EQ(steps["Deploy"], Json::parse(R"({"name": "Deploy", "type": "Deploy",
      "depends_on": ["Analyse", "CheckAccuracy", "Register"], "parent": "CheckAccuracy", "branch": "if"})"));
  EXPECT_EQ(steps["Register"]["depends_on"],
            Json::parse(R"(["CheckAccuracy", "DataQuality", "Evaluate", "ModelQuality", "Prepare", "Train"])"));
  EXPECT_EQ(steps["AccuracyTooLow"]["branch"], "else");
}

TEST_F(PipelinesTest, GraphOfASageMakerDefinition) {
  std::string text =
      ReadFile(std::string(GROVE_SOURCE_DIR) + "/src/pipeline/testdata/sagemaker/condition-interpolated.json").value();
  auto def = Pipelines::ReadText(text, "interpolated", "body");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  Pipelines pipelines(*home_);
  ASSERT_TRUE(pipelines.Store(*def).ok());
  auto graph = pipelines.Graph("interpolated", 0);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ(StepNames(*graph), (std::vector<std::string>{"MyConditionStep", "MyStep1", "MyStep2", "MyStep0"}));
  auto steps = GraphSteps(*graph);
  EXPECT_EQ(steps["MyStep1"]["parent"], "MyConditionStep");
  EXPECT_EQ(steps["MyStep1"]["branch"], "if");
  EXPECT_EQ(steps["MyStep2"]["branch"], "else");
  EXPECT_FALSE(steps["MyStep0"].contains("branch"));
  EXPECT_EQ(ToJson(*graph)["parameters"].size(), 3u);
}

}  // namespace
}  // namespace grove::app
