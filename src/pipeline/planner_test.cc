#include "pipeline/planner.h"

#include <gtest/gtest.h>

namespace grove::pipeline {
namespace {

StepDef Step(const std::string& name, const std::string& type = "Produce") {
  StepDef s;
  s.name = name;
  s.type = type;
  return s;
}

// A -> Check(condition) -> {Yes | No}; Yes -> Z.
Definition Branching() {
  Definition def;
  def.steps = {Step("A"), Step("Check", "Condition"), Step("Yes"), Step("No"), Step("Z")};
  def.steps[1].branches = {{"if_steps", {"Yes"}}, {"else_steps", {"No"}}};
  def.steps[2].guard_step = "Check";
  def.steps[2].guard_branch = "if_steps";
  def.steps[3].guard_step = "Check";
  def.steps[3].guard_branch = "else_steps";
  return def;
}

std::map<std::string, std::set<std::string>> BranchingDeps() {
  return {{"Check", {"A"}}, {"Yes", {"Check"}}, {"No", {"Check"}}, {"Z", {"Yes"}}};
}

TEST(PlannerTest, StartsIndependentStepsTogetherInDefinitionOrder) {
  Definition def;
  def.steps = {Step("A"), Step("B"), Step("C")};
  Planner plan(def, {{"C", {"A", "B"}}});
  EXPECT_EQ(plan.FindWork(), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(plan.FindWork().empty());
  plan.StepFinished("A", true);
  EXPECT_TRUE(plan.FindWork().empty());
  plan.StepFinished("B", true);
  EXPECT_EQ(plan.FindWork(), (std::vector<std::string>{"C"}));
  EXPECT_FALSE(plan.Done());
  plan.StepFinished("C", true);
  EXPECT_TRUE(plan.Done());
}

TEST(PlannerTest, TakenBranchRunsAndTheOtherIsSkipped) {
  Definition def = Branching();
  Planner plan(def, BranchingDeps());
  EXPECT_EQ(plan.FindWork(), (std::vector<std::string>{"A"}));
  plan.StepFinished("A", true);
  EXPECT_EQ(plan.FindWork(), (std::vector<std::string>{"Check"}));
  plan.StepFinished("Check", true, "else_steps");
  EXPECT_EQ(plan.FindWork(), (std::vector<std::string>{"No"}));
  EXPECT_EQ(plan.state("Yes"), Planner::State::kSkipped);
  EXPECT_EQ(plan.state("Z"), Planner::State::kSkipped);  // Depends on a skipped step.
  plan.StepFinished("No", true);
  EXPECT_TRUE(plan.Done());
}

TEST(PlannerTest, FailureStartsNothingNewButWaitsForRunningSteps) {
  Definition def;
  def.steps = {Step("A"), Step("B"), Step("C")};
  Planner plan(def, {{"C", {"A"}}});
  EXPECT_EQ(plan.FindWork().size(), 2u);
  plan.StepFinished("A", false);
  EXPECT_TRUE(plan.FindWork().empty());
  EXPECT_FALSE(plan.Done());  // B still runs.
  plan.StepFinished("B", true);
  EXPECT_TRUE(plan.Done());
  EXPECT_EQ(plan.state("C"), Planner::State::kWaiting);
}

TEST(PlannerTest, HaltStopsStartingWork) {
  Definition def;
  def.steps = {Step("A"), Step("B")};
  Planner plan(def, {{"B", {"A"}}});
  EXPECT_EQ(plan.FindWork().size(), 1u);
  plan.Halt();
  plan.StepFinished("A", true);
  EXPECT_TRUE(plan.FindWork().empty());
  EXPECT_TRUE(plan.Done());
}

}  // namespace
}  // namespace grove::pipeline
