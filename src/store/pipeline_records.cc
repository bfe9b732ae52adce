#include "store/pipeline_records.h"

#include "common/sha256.h"

namespace grove::store {

Result<int> WriteDefinition(StoreTransaction& txn, const DefinitionRecord& def, const std::string& description,
                            TimeMs now) {
  if (def.pipeline.empty()) return Status::InvalidArgument("the definition names no pipeline");
  std::string digest = def.digest.empty() ? Sha256::Of(def.body) : def.digest;
  ASSIGN_OR_RETURN(std::optional<PipelineRecord> existing, txn.FindPipeline(def.pipeline));
  PipelineRecord p = existing ? *existing : PipelineRecord{def.pipeline, description, 0, now, now};
  if (!existing || (!description.empty() && p.description != description)) {
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

}  // namespace grove::store
