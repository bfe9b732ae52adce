// Executions::Rerun: selective re-runs over a real executor and data folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "app/executions.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;

// Prep writes a file; Train copies it and appends $Word (failing for "fail"); Eval reads Train's; Notes
// stands apart.
constexpr const char* kChain = R"(pipeline: chain
parameters:
  Word: {type: String, default: first}
steps:
  - name: Prep
    type: Processing
    arguments: {command: [sh, -c, 'echo prep > "$GROVE_OUTPUT_OUT/p"'], outputs: [out]}
  - name: Train
    type: Processing
    arguments:
      command: [sh, -c, '[ "$WORD" != fail ] || exit 3; cat "$GROVE_INPUT_IN/p" > "$GROVE_OUTPUT_OUT/t"; echo "$WORD" >> "$GROVE_OUTPUT_OUT/t"']
      env: {WORD: {Get: Parameters.Word}}
      inputs: {in: {Get: Steps.Prep.Outputs.out}}
      outputs: [out]
  - name: Eval
    type: Processing
    arguments:
      command: [sh, -c, 'cat "$GROVE_INPUT_IN/t" > "$GROVE_OUTPUT_OUT/e"']
      inputs: {in: {Get: Steps.Train.Outputs.out}}
      outputs: [out]
  - name: Notes
    type: Processing
    arguments: {command: [sh, -c, 'echo notes > "$GROVE_OUTPUT_OUT/n"'], outputs: [out]}
)";

class RerunTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    source_ = Run(Write("chain.yaml", kChain));
    ASSERT_EQ(source_.status, store::kSucceeded) << source_.failure_reason;
    executor_ = std::move(home_->NewExecutor(1).value());
  }

  // Re-runs the source with `request` and waits for the new execution.
  store::ExecutionRecord Rerun(const RerunRequest& request) {
    Executions executions(*home_, executor_.get());
    auto started = executions.Rerun(source_.id, request);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    if (!started.ok()) return {};
    EXPECT_EQ(started->version, source_.version);
    return executions.Wait(started->id).value();
  }

  std::map<std::string, store::StepRunRecord> Steps(const std::string& id) {
    std::map<std::string, store::StepRunRecord> out;
    for (store::StepRunRecord& r : home_->metadata()->ListStepRuns(id).value()) out[r.step_name] = std::move(r);
    return out;
  }

  store::ExecutionRecord source_;
  std::unique_ptr<pipeline::Executor> executor_;
};

TEST_F(RerunTest, OnlyTheChosenStepRunsTheOthersAreReusedFromTheSource) {
  store::ExecutionRecord done = Rerun({{"Train"}, false, {}});
  ASSERT_EQ(done.status, store::kSucceeded) << done.failure_reason;
  auto steps = Steps(done.id);
  auto before = Steps(source_.id);
  EXPECT_EQ(steps["Train"].cache_hit_source, "") << "a chosen step runs, even when the cache has it";
  EXPECT_EQ(steps["Train"].outputs, before["Train"].outputs);
  for (const char* reused : {"Prep", "Notes"}) {
    EXPECT_EQ(steps[reused].status, store::kSucceeded) << reused;
    EXPECT_EQ(steps[reused].cache_hit_source, source_.id) << reused;
    EXPECT_EQ(steps[reused].metadata["reused_from"], source_.id) << reused;
    EXPECT_EQ(steps[reused].outputs, before[reused].outputs) << reused;
  }
  EXPECT_EQ(steps.count("Eval"), 0u) << "downstream of the chosen step, not chosen: not run";
}

TEST_F(RerunTest, DownstreamAlsoRunsWhatDependsOnTheChosenSteps) {
  store::ExecutionRecord done = Rerun({{"Train"}, true, {{"Word", "second"}}});
  ASSERT_EQ(done.status, store::kSucceeded) << done.failure_reason;
  EXPECT_EQ(done.parameters["Word"], "second");
  auto steps = Steps(done.id);
  EXPECT_EQ(steps["Prep"].cache_hit_source, source_.id);
  EXPECT_EQ(steps["Eval"].cache_hit_source, "");
  EXPECT_NE(steps["Eval"].outputs, Steps(source_.id)["Eval"].outputs) << "Eval read the new Train output";
  std::string eval = steps["Eval"].outputs["out"];
  EXPECT_EQ(ReadFile(home_->artifacts()->LocalPath(eval).value() / "e").value(), "prep\nsecond\n");
}

TEST_F(RerunTest, ParametersOverrideTheSourcesAndAreChecked) {
  store::ExecutionRecord done = Rerun({{"Train"}, false, {{"Word", "other"}}});
  ASSERT_EQ(done.status, store::kSucceeded) << done.failure_reason;
  EXPECT_EQ(done.parameters["Word"], "other");
  std::string train = Steps(done.id)["Train"].outputs["out"];
  EXPECT_EQ(ReadFile(home_->artifacts()->LocalPath(train).value() / "t").value(), "prep\nother\n");
  Executions executions(*home_, executor_.get());
  auto bad = executions.Rerun(source_.id, {{"Train"}, false, {{"Wrd", "x"}}});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("Word"));
}

TEST_F(RerunTest, AStepWhoseUpstreamDidNotSucceedInTheSourceIsRefused) {
  store::ExecutionRecord failed = testing::AppTest::Run(Write("chain.yaml", kChain), {{"Word", "fail"}});
  ASSERT_EQ(failed.status, store::kFailed);
  Executions executions(*home_, executor_.get());
  auto refused = executions.Rerun(failed.id, {{"Eval"}, false, {}});
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("step Eval depends on step Train, which ended Failed in execution " +
                                                    failed.id + ": choose Train too"));
  auto fixed = executions.Rerun(failed.id, {{"Train"}, true, {{"Word", "fixed"}}});
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(executions.Wait(fixed->id)->status, store::kSucceeded);
  EXPECT_EQ(executions.Rerun("nope", {{"Eval"}, false, {}}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::app
