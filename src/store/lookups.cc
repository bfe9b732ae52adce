#include "store/lookups.h"

#include <vector>

#include "store/messages.h"

namespace grove::store {

namespace {

// The names of `records` (anything with a `name`), for a NotFound message.
template <typename Record>
std::string NamesOf(const std::vector<Record>& records) {
  std::vector<std::string> names;
  for (const Record& r : records) names.push_back(r.name);
  return NameList(names);
}

}  // namespace

Result<std::vector<PipelineRecord>> ListLivePipelines(StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, rows.ListPipelines());
  std::erase_if(all, [](const PipelineRecord& p) { return p.deleted_at != 0; });
  return all;
}

Result<PipelineRecord> RequirePipeline(StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<PipelineRecord> found, rows.FindPipeline(name));
  if (found && found->deleted_at == 0) return std::move(*found);
  ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, ListLivePipelines(rows));
  return Status::NotFound("no pipeline '" + name + "'" + (found ? " (it was deleted)" : "") +
                          " (pipelines: " + NamesOf(all) + ")");
}

Result<DefinitionRecord> RequireDefinition(StoreReader& rows, const std::string& pipeline, int version) {
  ASSIGN_OR_RETURN(PipelineRecord p, RequirePipeline(rows, pipeline));
  ASSIGN_OR_RETURN(std::optional<DefinitionRecord> found,
                   rows.FindDefinition(pipeline, version == 0 ? p.latest_version : version));
  if (found) return std::move(*found);
  return Status::NotFound("no version " + std::to_string(version) + " of pipeline '" + pipeline + "' (" +
                          VersionRange(p.latest_version) + ")");
}

Result<ExecutionRecord> RequireExecution(StoreReader& rows, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<ExecutionRecord> found, rows.FindExecution(id));
  if (found) return std::move(*found);
  return Status::NotFound("no execution '" + id + "'");
}

Result<StepRunRecord> RequireStepRun(StoreReader& rows, const std::string& execution_id,
                                     const std::string& step_name) {
  ASSIGN_OR_RETURN(std::optional<StepRunRecord> found, rows.FindStepRun(execution_id, step_name));
  if (found) return std::move(*found);
  RETURN_IF_ERROR(RequireExecution(rows, execution_id).status());
  ASSIGN_OR_RETURN(std::vector<StepRunRecord> runs, rows.ListStepRuns(execution_id));
  std::vector<std::string> names;
  for (const StepRunRecord& r : runs) names.push_back(r.step_name);
  return Status::NotFound("no step '" + step_name + "' in execution '" + execution_id + "' (steps: " +
                          NameList(names) + ")");
}

Result<ArtifactRecord> RequireArtifact(StoreReader& rows, const std::string& digest) {
  ASSIGN_OR_RETURN(std::optional<ArtifactRecord> found, rows.FindArtifact(digest));
  if (found) return std::move(*found);
  return Status::NotFound("no artifact '" + digest + "'");
}

Result<ModelGroupRecord> RequireModelGroup(StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<ModelGroupRecord> found, rows.FindModelGroup(name));
  if (found) return std::move(*found);
  ASSIGN_OR_RETURN(std::vector<ModelGroupRecord> all, rows.ListModelGroups());
  return Status::NotFound("no model group '" + name + "' (groups: " + NamesOf(all) + ")");
}

Result<ModelVersionRecord> RequireModelVersion(StoreReader& rows, const std::string& group, int version) {
  ASSIGN_OR_RETURN(ModelGroupRecord g, RequireModelGroup(rows, group));
  ASSIGN_OR_RETURN(std::optional<ModelVersionRecord> found, rows.FindModelVersion(group, version));
  if (found) return std::move(*found);
  // Versions are gap-free, so the count is the highest number.
  return Status::NotFound("no version " + std::to_string(version) + " in model group '" + group + "' (" +
                          VersionRange(g.version_count) + ")");
}

Result<EndpointRecord> RequireEndpoint(StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<EndpointRecord> found, rows.FindEndpoint(name));
  if (found) return std::move(*found);
  ASSIGN_OR_RETURN(std::vector<EndpointRecord> all, rows.ListEndpoints());
  return Status::NotFound("no endpoint '" + name + "' (endpoints: " + NamesOf(all) + ")");
}

}  // namespace grove::store
