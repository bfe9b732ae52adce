#include "pipeline/graph.h"

#include <algorithm>
#include <functional>
#include <queue>


namespace grove::pipeline {

void ForEachDependency(const StepDef& step,
                       const std::function<void(const std::string& name, const std::string& field)>& edge) {
  const std::string field = "steps." + step.name;
  for (size_t d = 0; d < step.depends_on.size(); ++d) {
    edge(step.depends_on[d], field + ".depends_on[" + std::to_string(d) + "]");
  }
  step.expressions.ForEachNode([&](const Expr& node) {
    if (node.kind == Expr::Kind::kStepOutput || node.kind == Expr::Kind::kJsonGet) edge(node.name, node.field);
  });
  if (!step.guard_step.empty()) edge(step.guard_step, field);
}

std::vector<std::string> DependencyNames(const StepDef& step) {
  std::vector<std::string> names;
  ForEachDependency(step, [&names](const std::string& name, const std::string&) { names.push_back(name); });
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

StepGraph::StepGraph(const Definition& def) {
  for (const StepDef& step : def.steps) {
    index_.emplace(step.name, names_.size());  // The first of duplicate names wins.
    names_.push_back(step.name);
  }
  deps_.resize(names_.size());
  dependents_.resize(names_.size());
  for (size_t i = 0; i < def.steps.size(); ++i) {
    ForEachDependency(def.steps[i],
                      [&](const std::string& name, const std::string& field) { AddEdge(i, name, field); });
  }
  for (size_t i = 0; i < deps_.size(); ++i) {
    std::sort(deps_[i].begin(), deps_[i].end());
    deps_[i].erase(std::unique(deps_[i].begin(), deps_[i].end()), deps_[i].end());
    for (size_t d : deps_[i]) dependents_[d].push_back(i);
  }
}

void StepGraph::AddEdge(size_t from, const std::string& to, const std::string& field) {
  std::optional<size_t> target = Find(to);
  if (!target) return;
  deps_[from].push_back(*target);
  edge_fields_.emplace(std::make_pair(from, *target), field);
}

std::optional<size_t> StepGraph::Find(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string StepGraph::EdgeField(size_t from, size_t to) const {
  auto it = edge_fields_.find({from, to});
  return it == edge_fields_.end() ? "" : it->second;
}

std::vector<size_t> StepGraph::FindCycle() const {
  enum class Color { kWhite, kGray, kBlack };
  std::vector<Color> color(size(), Color::kWhite);
  std::vector<size_t> stack;  // The current DFS path.
  std::vector<size_t> cycle;
  std::function<bool(size_t)> visit = [&](size_t i) {
    color[i] = Color::kGray;
    stack.push_back(i);
    for (size_t d : deps_[i]) {
      if (color[d] == Color::kGray) {
        cycle.assign(std::find(stack.begin(), stack.end(), d), stack.end());
        cycle.push_back(d);
        return true;
      }
      if (color[d] == Color::kWhite && visit(d)) return true;
    }
    stack.pop_back();
    color[i] = Color::kBlack;
    return false;
  };
  for (size_t i = 0; i < size(); ++i) {
    if (color[i] == Color::kWhite && visit(i)) return cycle;
  }
  return {};
}

std::string StepGraph::FormatCycle(const std::vector<size_t>& cycle) const {
  std::string out;
  for (size_t i : cycle) out += (out.empty() ? "" : " -> ") + names_[i];
  return out;
}

Result<std::vector<size_t>> StepGraph::TopologicalOrder() const {
  std::vector<size_t> pending(size());
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < size(); ++i) {
    pending[i] = deps_[i].size();
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t dependent : dependents_[i]) {
      if (--pending[dependent] == 0) ready.push(dependent);
    }
  }
  if (order.size() != size()) {
    return Status::InvalidArgument("dependency cycle: " + FormatCycle(FindCycle()) +
                                   " (each step depends on the next)");
  }
  return order;
}

}  // namespace grove::pipeline
