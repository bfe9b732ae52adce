#include "pipeline/expansion.h"

#include "pipeline/expression_tree.h"
#include "pipeline/graph.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

Result<std::map<std::string, std::set<std::string>>> CheckExpansion(const Definition& def,
                                                                   const std::string& parent,
                                                                   std::vector<StepDef>& added,
                                                                   const StepTypeRegistry& types) {
  for (StepDef& step : added) ParseStepExpressions(step, types);
  Definition candidate = def;
  candidate.steps.insert(candidate.steps.end(), added.begin(), added.end());
  Status valid = ValidateDefinition(candidate, types);
  if (!valid.ok()) {
    return Status::InvalidArgument("step " + parent + " added steps that are not valid:\n" + valid.message());
  }
  StepGraph graph(candidate);
  std::map<std::string, std::set<std::string>> deps;
  for (const StepDef& s : added) {
    std::set<std::string>& d = deps[s.name];
    d.insert(parent);
    for (size_t j : graph.Dependencies(*graph.Find(s.name))) d.insert(graph.Name(j));
  }
  return deps;
}

Status AddRecordedExpansions(Definition& def, const std::vector<store::StepRunRecord>& runs,
                             const StepTypeRegistry& types) {
  for (const store::StepRunRecord& run : runs) {
    if (run.status != "Succeeded" || !run.metadata.contains("expansion")) continue;
    auto steps = StepDefsFromJson(run.metadata["expansion"]);
    if (!steps.ok()) return Status::Internal("step run " + run.step_name + ": " + steps.status().message());
    for (StepDef& s : *steps) {
      if (def.FindStep(s.name) != nullptr) continue;
      ParseStepExpressions(s, types);
      def.steps.push_back(std::move(s));
    }
  }
  return Status::OK();
}

}  // namespace grove::pipeline
