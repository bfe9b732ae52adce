#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "pipeline/definition.h"

namespace grove::pipeline {

// Calls `edge` with each name `step` depends on and the field that says so,
// in written order: its depends_on ("steps.B.depends_on[0]"), the steps its
// arguments reference (Get Steps.X.Outputs.y, JsonGet {step: X}, at the
// expression's field) and the step guarding it ("steps.B"). Names are not
// checked and may repeat.
void ForEachDependency(const StepDef& step,
                       const std::function<void(const std::string& name, const std::string& field)>& edge);

// The names ForEachDependency gives, sorted and unique.
std::vector<std::string> DependencyNames(const StepDef& step);

// The dependency graph of a definition's steps; node i is def.steps[i]. A step
// depends on the steps in its depends_on, the steps its arguments reference
// (Get Steps.X.Outputs.y, JsonGet {step: X}, as parsed in StepDef::expressions)
// and the condition guarding it.
// Names that are not steps are ignored here (ValidateDefinition reports them).
// Immutable after construction; safe to share between threads.
class StepGraph {
 public:
  explicit StepGraph(const Definition& def);

  size_t size() const { return names_.size(); }
  const std::string& Name(size_t i) const { return names_[i]; }
  std::optional<size_t> Find(const std::string& name) const;

  // The steps that step i depends on / that depend on step i; sorted, unique.
  const std::vector<size_t>& Dependencies(size_t i) const { return deps_[i]; }
  const std::vector<size_t>& Dependents(size_t i) const { return dependents_[i]; }

  // The field that made step `from` depend on step `to` (the first one written),
  // e.g. "steps.B.depends_on[0]" or "steps.B.arguments.train"; empty if no edge.
  std::string EdgeField(size_t from, size_t to) const;

  // A dependency cycle as step indices [a, b, ..., a], each depending on the
  // next; empty when the graph is acyclic. The first cycle found from the
  // steps in definition order.
  std::vector<size_t> FindCycle() const;

  // "A -> B -> A" for a cycle from FindCycle.
  std::string FormatCycle(const std::vector<size_t>& cycle) const;

  // Every step after its dependencies; among steps ready at the same time,
  // definition order. InvalidArgument "dependency cycle: A -> B -> A (each
  // step depends on the next)" when there is a cycle.
  Result<std::vector<size_t>> TopologicalOrder() const;

 private:
  void AddEdge(size_t from, const std::string& to, const std::string& field);

  std::vector<std::string> names_;
  std::map<std::string, size_t> index_;
  std::vector<std::vector<size_t>> deps_;
  std::vector<std::vector<size_t>> dependents_;
  std::map<std::pair<size_t, size_t>, std::string> edge_fields_;
};

}  // namespace grove::pipeline
