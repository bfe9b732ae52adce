#include "app/executions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "app/pipelines.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;
using testing::kScriptPipeline;

class ExecutionsTest : public testing::AppTest {};

TEST_F(ExecutionsTest, StartRunsAndEveryReadSeesTheExecution) {
  store::ExecutionRecord done = Run(Write("p.yaml", kScriptPipeline), {{"Word", "there"}});
  ASSERT_EQ(done.status, store::kSucceeded) << done.failure_reason;
  EXPECT_EQ(done.parameters["Word"], "there");

  Executions executions(*home_);
  auto list = executions.List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, done.id);
  EXPECT_EQ(executions.Describe(done.id)->pipeline, "hello");
  auto steps = executions.Steps(done.id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].status, store::kSucceeded);

  auto logs = executions.Logs(done.id, "Write");
  ASSERT_TRUE(logs.ok()) << logs.status().ToString();
  ASSERT_EQ(logs->size(), 1u);
  EXPECT_THAT((*logs)[0].text, HasSubstr("logged"));
  EXPECT_EQ(executions.Logs(done.id, "Nope").status().code(), StatusCode::kNotFound);

  auto outputs = executions.Outputs(done.id, "");
  ASSERT_TRUE(outputs.ok()) << outputs.status().ToString();
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_EQ((*outputs)[0].step, "Write");
  EXPECT_EQ((*outputs)[0].name, "out");
  EXPECT_TRUE((*outputs)[0].artifact.is_directory);
  EXPECT_EQ((*outputs)[0].artifact.digest, (*steps)[0].outputs["out"]);

  auto trials = executions.Trials(done.id, "");
  ASSERT_TRUE(trials.ok());
  EXPECT_TRUE(trials->empty());
  EXPECT_EQ(executions.Stop(done.id).code(), StatusCode::kFailedPrecondition);  // Not running.
}

TEST_F(ExecutionsTest, NothingIsStoredWhenAParameterIsBad) {
  auto executor = std::move(home_->NewExecutor(1).value());
  Executions executions(*home_, executor.get());
  auto bad = executions.Start(Write("p.yaml", kScriptPipeline).string(),
                              std::map<std::string, std::string>{{"Wrd", "x"}});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("Word"));  // Lists the known parameters.
  EXPECT_TRUE(Pipelines(*home_).List()->empty());
  EXPECT_TRUE(executions.List({})->empty());
}

TEST_F(ExecutionsTest, StartWithTypedJsonParameters) {
  auto executor = std::move(home_->NewExecutor(1).value());
  Executions executions(*home_, executor.get());
  auto started = executions.Start(Write("p.yaml", kScriptPipeline).string(), Json{{"Word", "json"}});
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(executions.Wait(started->id)->parameters["Word"], "json");
  EXPECT_EQ(Executions(*home_).Start("p.yaml", Json::object()).status().code(), StatusCode::kInternal);
}

TEST_F(ExecutionsTest, StartStoredWithTypedJsonParameters) {
  auto executor = std::move(home_->NewExecutor(1).value());
  Executions executions(*home_, executor.get());
  EXPECT_EQ(executions.StartStored("hello", Json::object()).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(Pipelines(*home_).Register(Write("p.yaml", kScriptPipeline)).ok());
  EXPECT_EQ(executions.StartStored("hello", Json{{"Nope", 1}}).status().code(), StatusCode::kInvalidArgument);
  auto started = executions.StartStored("hello", Json{{"Word", "stored"}});
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->version, 1);
  EXPECT_EQ(executions.Wait(started->id)->parameters["Word"], "stored");
}

// A failed execution is retried from its failed step: what succeeded comes from the cache.
TEST_F(ExecutionsTest, RetryRunsAgainFromTheFailedStep) {
  const std::filesystem::path marker = dir_.path() / "fail-once";
  ASSERT_TRUE(WriteFileAtomic(marker, "x").ok());
  const std::string yaml = R"(pipeline: retry
parameters:
  Word: {type: String, default: w}
steps:
  - name: First
    type: Processing
    arguments: {command: [sh, -c, 'echo one > "$GROVE_OUTPUT_OUT/a"'], outputs: [out]}
  - name: Second
    type: Processing
    depends_on: [First]
    arguments: {command: [sh, -c, 'if [ -e )" + marker.string() + R"( ]; then exit 3; fi; echo two > "$GROVE_OUTPUT_OUT/b"'], outputs: [out]}
)";
  store::ExecutionRecord failed = Run(Write("r.yaml", yaml), {{"Word", "given"}});
  ASSERT_EQ(failed.status, "Failed");
  auto executor = std::move(home_->NewExecutor(1).value());
  Executions executions(*home_, executor.get());
  std::filesystem::remove(marker);
  auto retried = executions.Retry(failed.id);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_NE(retried->id, failed.id);
  store::ExecutionRecord done = executions.Wait(retried->id).value();
  EXPECT_EQ(done.status, "Succeeded");
  EXPECT_EQ(done.parameters["Word"], "given");
  EXPECT_EQ(done.version, failed.version);
  EXPECT_EQ(home_->metadata()->GetStepRun(done.id, "First")->cache_hit_source, failed.id);
  EXPECT_EQ(home_->metadata()->GetStepRun(done.id, "Second")->cache_hit_source, "");
  EXPECT_EQ(executions.Retry(done.id).status().code(), StatusCode::kFailedPrecondition)
      << "a Succeeded execution is not retried";
  EXPECT_EQ(Executions(*home_).Retry(failed.id).status().code(), StatusCode::kInternal) << "needs an executor";
}

// Regression: `execution list --pipeline nope` printed an empty list and exited 0.
TEST_F(ExecutionsTest, ListOfAnUnknownPipelineIsNotFound) {
  Run(Write("p.yaml", kScriptPipeline));
  Executions executions(*home_);
  auto unknown = executions.List({"nope", 20});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("no pipeline 'nope'"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("hello"));
  EXPECT_EQ(executions.List({"hello", 20})->size(), 1u);
}

// Regression: a limit of 0 and of -1 both listed everything.
TEST_F(ExecutionsTest, ListLimitMustBeAtLeastOne) {
  Run(Write("p.yaml", kScriptPipeline));
  Run(Write("p.yaml", kScriptPipeline));
  Executions executions(*home_);
  for (int limit : {0, -1}) {
    auto r = executions.List({"", limit});
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << limit;
    EXPECT_THAT(r.status().message(), HasSubstr("expected 1 or more")) << limit;
  }
  EXPECT_EQ(executions.List({"", 1})->size(), 1u);
  EXPECT_EQ(executions.List({"", 5})->size(), 2u);
}

TEST_F(ExecutionsTest, UnknownExecutionIsNotFoundEverywhere) {
  Executions executions(*home_);
  EXPECT_EQ(executions.Describe("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(executions.Steps("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(executions.Logs("nope", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(executions.Outputs("nope", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(executions.Trials("nope", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(executions.Stop("nope").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::app
