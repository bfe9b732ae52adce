#include "pipeline/expansion.h"

#include <gtest/gtest.h>

#include "pipeline/planner.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

StepDef MakeStep(const std::string& name, const std::string& type, Json arguments = Json::object()) {
  StepDef s;
  s.name = name;
  s.type = type;
  s.arguments = std::move(arguments);
  return s;
}

TEST(ExpansionTest, StepsSurviveTheirJsonForm) {
  StepDef s = MakeStep("F-1", "Fail", {{"message", {{"Get", "Parameters.Why"}}}});
  s.depends_on = {"A"};
  s.cache = {false, 5000};
  s.retry = {3, 0.5, 1.5};
  s.branches = {{"if_steps", {"X"}}};
  s.guard_step = "C";
  s.guard_branch = "else_steps";
  auto back = StepDefsFromJson(StepDefsToJson({s}));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 1u);
  const StepDef& t = back->front();
  EXPECT_EQ(t.name, "F-1");
  EXPECT_EQ(t.arguments, s.arguments);
  EXPECT_EQ(t.depends_on, s.depends_on);
  EXPECT_FALSE(t.cache.enabled);
  EXPECT_EQ(t.cache.expire_after, 5000);
  EXPECT_EQ(t.retry.max_attempts, 3);
  EXPECT_DOUBLE_EQ(t.retry.backoff_rate, 1.5);
  EXPECT_EQ(t.Branch("if_steps"), std::vector<std::string>{"X"});
  EXPECT_EQ(t.guard_step, "C");
  EXPECT_EQ(t.guard_branch, "else_steps");
}

TEST(ExpansionTest, MalformedStepsSayWhichOne) {
  auto bad = StepDefsFromJson(Json::array({{{"name", "A"}, {"type", "Fail"}}, {{"name", "B"}}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("steps[1]"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(StepDefsFromJson(Json::object()).ok());
}

TEST(ExpansionTest, EveryResultKindCrossesProcessesAndCacheHits) {
  std::vector<StepResult> results = {StepResult::Outputs(), StepResult::Branch("else_steps"),
                                     StepResult::FailExecution("too poor"),
                                     StepResult::Expansion({MakeStep("F-1", "Fail")})};
  for (const StepResult& r : results) {
    auto back = StepResult::FromJson(Json::parse(r.ToJson().dump()));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->kind, r.kind) << r.KindName();
    EXPECT_EQ(back->branch, r.branch);
    EXPECT_EQ(back->message, r.message);
    EXPECT_EQ(back->steps.size(), r.steps.size());
  }
  Json metadata = {{"outcome", true}};
  results[3].RecordInMetadata(metadata);
  auto replayed = StepResult::FromMetadata(metadata);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->kind, StepResult::Kind::kExpansion);
  EXPECT_EQ(replayed->steps.at(0).name, "F-1");
  EXPECT_EQ(StepResult::FromMetadata(Json::object())->kind, StepResult::Kind::kOutputs);
  EXPECT_FALSE(StepResult::FromJson({{"kind", "teleport"}}).ok());
}

class CheckExpansionTest : public ::testing::Test {
 protected:
  Definition Read(const std::string& yaml) {
    auto def = ReadDefinition(yaml, "p.yaml", StepTypeRegistry::BuiltIn());
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    return def.ok() ? *def : Definition{};
  }
  Result<std::map<std::string, std::set<std::string>>> Check(const Definition& def, std::vector<StepDef> added) {
    return CheckExpansion(def, "G", added, types_);
  }
  const StepTypeRegistry& types_ = StepTypeRegistry::BuiltIn();
};

TEST_F(CheckExpansionTest, AddedStepsWaitForTheirParentAndWhatTheyReference) {
  Definition def = Read(R"(
pipeline: p
parameters: {Why: {type: String, default: no}}
steps:
  - {name: G, type: Fail, arguments: {message: x}}
)");
  StepDef first = MakeStep("F-1", "Fail", {{"message", {{"Get", "Parameters.Why"}}}});
  StepDef second = MakeStep("F-2", "Fail", {{"message", "y"}});
  second.depends_on = {"F-1"};
  auto deps = Check(def, {first, second});
  ASSERT_TRUE(deps.ok()) << deps.status().ToString();
  EXPECT_EQ(deps->at("F-1"), (std::set<std::string>{"G"}));
  EXPECT_EQ(deps->at("F-2"), (std::set<std::string>{"G", "F-1"}));
}

TEST_F(CheckExpansionTest, AddedStepsAreValidatedLikeWrittenOnes) {
  Definition def = Read("pipeline: p\nsteps:\n  - {name: G, type: Fail, arguments: {message: x}}\n");
  auto unknown = Check(def, {MakeStep("X", "Teleport")});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("step G added steps that are not valid"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("Teleport"), std::string::npos) << unknown.status().message();
  auto missing = Check(def, {MakeStep("X", "Fail", {{"message", {{"Get", "Parameters.Nope"}}}})});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("Nope"), std::string::npos) << missing.status().message();
  EXPECT_FALSE(Check(def, {MakeStep("G", "Fail", {{"message", "again"}})}).ok());
}

TEST_F(CheckExpansionTest, RecordedExpansionsMakeAddedStepsFindable) {
  Definition def = Read("pipeline: p\nsteps:\n  - {name: G, type: Fail, arguments: {message: x}}\n");
  store::StepRunRecord grow;
  grow.step_name = "G";
  grow.status = "Succeeded";
  StepResult::Expansion({MakeStep("F-1", "Fail", {{"message", "m"}})}).RecordInMetadata(grow.metadata);
  store::StepRunRecord failed = grow;
  failed.status = "Failed";
  failed.metadata = {{"expansion", StepDefsToJson({MakeStep("F-9", "Fail")})}};
  ASSERT_TRUE(AddRecordedExpansions(def, {grow, failed}, types_).ok());
  ASSERT_NE(def.FindStep("F-1"), nullptr);
  EXPECT_EQ(def.FindStep("F-1")->arguments["message"], "m");
  EXPECT_TRUE(def.FindStep("F-1")->expressions.parsed) << "added steps are parsed like read ones";
  EXPECT_EQ(def.FindStep("F-9"), nullptr) << "only a succeeded step's expansion counts";
  grow.metadata["expansion"] = "garbage";
  EXPECT_FALSE(AddRecordedExpansions(def, {grow}, types_).ok());
}

TEST(PlannerExpansionTest, StepsAfterTheParentWaitForEveryAddedStep) {
  Definition def;
  def.steps = {MakeStep("G", "Grow"), MakeStep("After", "Echo")};
  Planner plan(def, {{"After", {"G"}}});
  EXPECT_EQ(plan.FindWork(), std::vector<std::string>{"G"});
  ASSERT_TRUE(plan.AddSteps("G", {{"X", {"G"}}, {"Y", {"G", "X"}}}).ok());
  def.steps.push_back(MakeStep("X", "Echo"));
  def.steps.push_back(MakeStep("Y", "Echo"));
  plan.StepFinished("G", true);
  EXPECT_EQ(plan.FindWork(), std::vector<std::string>{"X"});
  plan.StepFinished("X", true);
  EXPECT_EQ(plan.FindWork(), std::vector<std::string>{"Y"});
  plan.StepFinished("Y", true);
  EXPECT_EQ(plan.FindWork(), std::vector<std::string>{"After"});
  plan.StepFinished("After", true);
  EXPECT_TRUE(plan.Done());
}

TEST(PlannerExpansionTest, RefusedAdditionsChangeNothing) {
  Definition def;
  def.steps = {MakeStep("G", "Grow"), MakeStep("Mid", "Echo"), MakeStep("Last", "Echo")};
  Planner plan(def, {{"Mid", {"G"}}, {"Last", {"Mid"}}});
  plan.FindWork();
  Status cycle = plan.AddSteps("G", {{"X", {"G", "Last"}}});
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.message().find("dependency cycle"), std::string::npos) << cycle.message();
  EXPECT_EQ(plan.AddSteps("G", {{"Mid", {"G"}}}).code(), StatusCode::kAlreadyExists);
  plan.StepFinished("G", true);
  EXPECT_EQ(plan.FindWork(), std::vector<std::string>{"Mid"}) << "Mid must not wait for a refused step";
}

}  // namespace
}  // namespace grove::pipeline
