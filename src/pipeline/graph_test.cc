#include "pipeline/graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Definition Read(const std::string& steps) {
  Result<Definition> def = ReadDefinition("pipeline: p\nsteps:\n" + steps, "g.yaml");
  EXPECT_TRUE(def.ok()) << def.status().ToString();
  return def.ok() ? *def : Definition();
}

std::vector<std::string> Names(const StepGraph& g, const std::vector<size_t>& indices) {
  std::vector<std::string> names;
  for (size_t i : indices) names.push_back(g.Name(i));
  return names;
}

TEST(StepGraphTest, EdgesFromDependsOnReferencesAndGuards) {
  Definition def = Read(R"(
  - {name: Prep, type: P}
  - {name: Train, type: T, arguments: {train: {Get: Steps.Prep.Outputs.train}, p: {Get: Parameters.X}}}
  - {name: Eval, type: E, arguments: {m: {Join: {values: [{Get: Steps.Train.Outputs.model}]}}}}
  - name: Check
    type: Condition
    arguments:
      conditions: [{LessThan: [{JsonGet: {step: Eval, path: a.b}}, 1]}]
      if_steps: [{name: Register, type: R, depends_on: [Train, Nowhere]}]
  - {name: Report, type: H, depends_on: [Prep, Prep]}
)");
  StepGraph g(def);
  ASSERT_EQ(g.size(), 6u);
  auto deps = [&](const std::string& name) { return Names(g, g.Dependencies(*g.Find(name))); };
  auto dependents = [&](const std::string& name) { return Names(g, g.Dependents(*g.Find(name))); };
  EXPECT_THAT(deps("Prep"), IsEmpty());
  EXPECT_THAT(deps("Train"), ElementsAre("Prep"));
  EXPECT_THAT(deps("Eval"), ElementsAre("Train"));
  EXPECT_THAT(deps("Check"), ElementsAre("Eval"));
  EXPECT_THAT(deps("Register"), ElementsAre("Train", "Check"));  // Unknown names are ignored.
  EXPECT_THAT(deps("Report"), ElementsAre("Prep"));              // Duplicates collapse.
  EXPECT_THAT(dependents("Prep"), ElementsAre("Train", "Report"));
  EXPECT_THAT(dependents("Train"), ElementsAre("Eval", "Register"));
  EXPECT_FALSE(g.Find("Nowhere").has_value());

  EXPECT_EQ(g.EdgeField(*g.Find("Train"), *g.Find("Prep")), "steps.Train.arguments.train");
  EXPECT_EQ(g.EdgeField(*g.Find("Eval"), *g.Find("Train")), "steps.Eval.arguments.m.Join.values[0]");
  EXPECT_EQ(g.EdgeField(*g.Find("Check"), *g.Find("Eval")),
            "steps.Check.arguments.conditions[0].LessThan[0]");
  EXPECT_EQ(g.EdgeField(*g.Find("Register"), *g.Find("Check")), "steps.Register");
  EXPECT_EQ(g.EdgeField(*g.Find("Register"), *g.Find("Train")), "steps.Register.depends_on[0]");
  EXPECT_EQ(g.EdgeField(*g.Find("Prep"), *g.Find("Train")), "");
}

// Among ready steps the earliest in the definition goes first.
TEST(StepGraphTest, TopologicalOrderPrefersDefinitionOrder) {
  Definition def = Read(R"(
  - {name: D, type: T, depends_on: [B, C]}
  - {name: C, type: T}
  - {name: B, type: T, depends_on: [A]}
  - {name: A, type: T}
  - {name: E, type: T}
)");
  StepGraph g(def);
  Result<std::vector<size_t>> order = g.TopologicalOrder();
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_THAT(Names(g, *order), ElementsAre("C", "A", "B", "D", "E"));
  EXPECT_THAT(g.FindCycle(), IsEmpty());
}

TEST(StepGraphTest, FindsCycles) {
  Definition def = Read(R"(
  - {name: Start, type: T}
  - {name: A, type: T, depends_on: [Start, B]}
  - {name: B, type: T, arguments: {x: {Get: Steps.C.Outputs.o}}}
  - {name: C, type: T, depends_on: [A]}
)");
  StepGraph g(def);
  std::vector<size_t> cycle = g.FindCycle();
  EXPECT_EQ(g.FormatCycle(cycle), "A -> B -> C -> A");
  Result<std::vector<size_t>> order = g.TopologicalOrder();
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().message(), "dependency cycle: A -> B -> C -> A (each step depends on the next)");
}

TEST(StepGraphTest, SelfReferenceIsACycle) {
  Definition def = Read("  - {name: A, type: T, arguments: {x: {Get: Steps.A.Outputs.o}}}\n");
  StepGraph g(def);
  EXPECT_EQ(g.FormatCycle(g.FindCycle()), "A -> A");
}

}  // namespace
}  // namespace grove::pipeline
