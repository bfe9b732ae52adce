#include "pipeline/selective_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/graph.h"
#include "pipeline/step_result.h"
#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Prep -> Train -> Eval -> Check {if: Register, else: Fail}; Report apart.
constexpr const char* kChain = R"(pipeline: chain
steps:
  - {name: Prep, type: Processing, arguments: {command: ["true"], outputs: [out]}}
  - {name: Train, type: Processing, depends_on: [Prep], arguments: {command: ["true"], outputs: [out]}}
  - {name: Eval, type: Processing, depends_on: [Train], arguments: {command: ["true"], outputs: [out]}}
  - name: Check
    type: Condition
    depends_on: [Eval]
    arguments:
      conditions: [{Equals: [1, 1]}]
      if_steps:
        - {name: Register, type: Processing, arguments: {command: ["true"], outputs: [out]}}
      else_steps:
        - {name: TooBad, type: Fail, arguments: {message: no}}
  - {name: Report, type: Processing, arguments: {command: ["true"], outputs: [out]}}
)";

class SelectiveRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto def = ReadDefinition(kChain, "chain.yaml");
    ASSERT_TRUE(def.ok()) << def.status().ToString();
    def_ = std::move(*def);
    StepGraph graph(def_);
    for (size_t i = 0; i < graph.size(); ++i) {
      for (size_t j : graph.Dependencies(i)) deps_[graph.Name(i)].insert(graph.Name(j));
    }
  }

  // A run of `step` in the source execution "src".
  void Ran(const std::string& step, const std::string& status, const std::string& branch = "") {
    store::StepRunRecord r;
    r.execution_id = "src";
    r.step_name = step;
    r.status = status;
    r.outputs = {{"out", "digest-" + step}};
    if (!branch.empty()) StepResult::Branch(branch).RecordInMetadata(r.metadata);
    runs_.push_back(r);
  }
  // The source succeeded through Register.
  void SourceSucceeded() {
    for (const char* step : {"Prep", "Train", "Eval", "Report", "Register"}) Ran(step, "Succeeded");
    Ran("Check", "Succeeded", "if_steps");
  }

  Result<SelectivePlan> Plan(std::vector<std::string> steps, bool downstream = false) {
    return PlanSelection(def_, deps_, Selection{"src", std::move(steps), downstream}, runs_);
  }

  static std::vector<std::string> Names(const std::set<std::string>& names) { return {names.begin(), names.end()}; }
  static std::vector<std::string> Names(const std::map<std::string, store::StepRunRecord>& runs) {
    std::vector<std::string> out;
    for (const auto& [name, run] : runs) out.push_back(name);
    return out;
  }

  Definition def_;
  std::map<std::string, std::set<std::string>> deps_;
  std::vector<store::StepRunRecord> runs_;
};

TEST_F(SelectiveRunTest, OnlyTheChosenStepsRunTheirUpstreamIsReusedTheirDownstreamSkipped) {
  SourceSucceeded();
  auto plan = Plan({"Train"});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_THAT(Names(plan->run), ElementsAre("Train"));
  EXPECT_THAT(Names(plan->excluded), ElementsAre("Check", "Eval", "Register", "TooBad"));
  EXPECT_THAT(Names(plan->reused), ElementsAre("Prep", "Report"));
  EXPECT_EQ(plan->reused["Prep"].outputs["out"], "digest-Prep");
}

TEST_F(SelectiveRunTest, DownstreamRunsEverythingThatDependsOnTheChosenSteps) {
  SourceSucceeded();
  auto plan = Plan({"Train"}, /*downstream=*/true);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_THAT(Names(plan->run), ElementsAre("Check", "Eval", "Register", "TooBad", "Train"));
  EXPECT_TRUE(plan->excluded.empty());
  EXPECT_THAT(Names(plan->reused), ElementsAre("Prep", "Report"));
}

TEST_F(SelectiveRunTest, AnUpstreamStepThatDidNotSucceedInTheSourceIsNamed) {
  Ran("Prep", "Succeeded");
  Ran("Train", "Failed");
  auto plan = Plan({"Eval"});
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("step Eval depends on step Train, which ended Failed in execution src"));
  plan = Plan({"Register"});
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("did not run in execution src"));
  EXPECT_TRUE(Plan({"Train", "Eval"}).ok()) << "what the chosen steps need comes from themselves";
}

TEST_F(SelectiveRunTest, AStepBetweenTwoChosenOnesMustBeChosenToo) {
  SourceSucceeded();
  auto plan = Plan({"Train", "Check"});
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("Check depends on Eval, which depends on a chosen step"));
  EXPECT_TRUE(Plan({"Train", "Check"}, /*downstream=*/true).ok());
}

TEST_F(SelectiveRunTest, AChosenStepInABranchTheSourceDidNotTakeIsRefused) {
  SourceSucceeded();
  auto plan = Plan({"TooBad"});
  EXPECT_EQ(plan.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(plan.status().message(), HasSubstr("TooBad is in Check's else_steps, which execution src did not take"));
  EXPECT_TRUE(Plan({"Register"}).ok());
}

TEST_F(SelectiveRunTest, UnknownOrNoStepsAreBadInput) {
  SourceSucceeded();
  auto plan = Plan({"Trian"});
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(plan.status().message(), HasSubstr("'Trian' is not a step of pipeline chain (did you mean Train?)"));
  EXPECT_EQ(Plan({}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SelectiveRunTest, AReusedExpansionReusesTheStepsItAdded) {
  SourceSucceeded();
  StepDef item;
  item.name = "Report[x]/Echo";
  item.type = "Processing";
  StepResult::Expansion({item}).RecordInMetadata(runs_[3].metadata);  // Report.
  Ran("Report[x]/Echo", "Succeeded");
  auto plan = Plan({"Train"});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_THAT(Names(plan->reused), ElementsAre("Prep", "Report", "Report[x]/Echo"));
}

}  // namespace
}  // namespace grove::pipeline
