#include "store/pipeline_records.h"

#include "common/sha256.h"
#include "store/lookups.h"

namespace grove::store {

Result<int> WriteDefinition(StoreTransaction& txn, const DefinitionRecord& def, const std::string& description,
                            TimeMs now) {
  if (def.pipeline.empty()) return Status::InvalidArgument("the definition names no pipeline");
  std::string digest = def.digest.empty() ? Sha256::Of(def.body) : def.digest;
  ASSIGN_OR_RETURN(std::optional<PipelineRecord> existing, txn.FindPipeline(def.pipeline));
  PipelineRecord p = existing ? *existing : PipelineRecord{def.pipeline, description, 0, now, now};
  const bool revived = existing && existing->deleted_at != 0;
  if (revived) p = {def.pipeline, description, existing->latest_version, now, now, 0};
  if (!existing || revived || (!description.empty() && p.description != description)) {
    if (!description.empty()) p.description = description;
    RETURN_IF_ERROR(txn.PutPipeline(p));
  }
  if (p.latest_version > 0) {
    ASSIGN_OR_RETURN(std::optional<DefinitionRecord> latest, txn.FindDefinition(p.name, p.latest_version));
    if (!latest) {
      return Status::Internal("pipeline '" + p.name + "' lost its version " + std::to_string(p.latest_version));
    }
    if (latest->digest == digest) return p.latest_version;
  }
  DefinitionRecord stored = def;
  stored.version = p.latest_version + 1;
  stored.digest = digest;
  if (stored.created_at == 0) stored.created_at = now;
  RETURN_IF_ERROR(txn.InsertDefinition(stored));
  p.latest_version = stored.version;
  p.updated_at = stored.created_at;
  RETURN_IF_ERROR(txn.PutPipeline(p));
  Json payload = {{"pipeline", p.name}, {"version", stored.version}, {"digest", digest},
                  {"source_path", def.source_path}};
  RETURN_IF_ERROR(txn.AppendEvent(now, kEventPipelineVersion, p.name, payload).status());
  return stored.version;
}

Status WritePipelineDeletion(StoreTransaction& txn, const std::string& name, TimeMs now) {
  ASSIGN_OR_RETURN(PipelineRecord p, RequirePipeline(txn, name));
  ASSIGN_OR_RETURN(std::vector<ExecutionRecord> executions, txn.ListExecutionsWithStatus({kExecuting, kStopping}));
  for (const ExecutionRecord& e : executions) {
    if (e.pipeline == name) {
      return Status::FailedPrecondition("pipeline '" + name + "' has an execution that is " + e.status + " (" + e.id +
                                        "); stop its running executions before deleting it");
    }
  }
  p.deleted_at = now;
  RETURN_IF_ERROR(txn.PutPipeline(p));
  return txn.AppendEvent(now, kEventPipelineDeleted, name, Json{{"pipeline", name}}).status();
}

}  // namespace grove::store
