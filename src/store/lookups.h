#pragma once

#include <string>

#include "common/status.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

// Rows that must exist, read through any backend: the row, or NotFound
// saying what exists instead ("no model group 'Y' (groups: A, B)").

// A deleted pipeline (PipelineRecord::deleted_at) is not found.
Result<PipelineRecord> RequirePipeline(StoreReader& rows, const std::string& name);
// The pipelines that are not deleted, by name.
Result<std::vector<PipelineRecord>> ListLivePipelines(StoreReader& rows);
// `version` 0 means the latest.
Result<DefinitionRecord> RequireDefinition(StoreReader& rows, const std::string& pipeline, int version);
// NotFound "no execution 'id'".
Result<ExecutionRecord> RequireExecution(StoreReader& rows, const std::string& id);
// NotFound for the execution, or "no step 'S' in execution 'e' (steps: A, B)".
Result<StepRunRecord> RequireStepRun(StoreReader& rows, const std::string& execution_id,
                                     const std::string& step_name);
// NotFound "no artifact 'digest'".
Result<ArtifactRecord> RequireArtifact(StoreReader& rows, const std::string& digest);
Result<ModelGroupRecord> RequireModelGroup(StoreReader& rows, const std::string& name);
// NotFound for the group, or "no version 7 in model group 'X' (versions 1-3)".
Result<ModelVersionRecord> RequireModelVersion(StoreReader& rows, const std::string& group, int version);
Result<EndpointRecord> RequireEndpoint(StoreReader& rows, const std::string& name);

}  // namespace grove::store
