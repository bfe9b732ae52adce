#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"
#include "store/artifact_store.h"
#include "store/records.h"

namespace grove::pipeline {

// How a step output appears in resolved arguments: a reference to an
// artifact by content, independent of where the artifact store keeps it.
// The attempt materialises it as a local path where the step runs.
std::string ArtifactRef(const std::string& digest);
// The digest of a reference, or nullopt for any other string.
std::optional<std::string> ParseArtifactRef(std::string_view text);

// The outputs of an execution's finished steps: step -> output -> digest.
using StepOutputs = std::map<std::string, std::map<std::string, std::string>>;

// Resolves `step`'s arguments for `execution`: parameters, execution
// variables, step outputs (as artifact references) and property files (read
// from the artifact store). Used alike by the executor and `grove step-run`.
Result<Json> ResolveStepArguments(const Definition& def, const StepDef& step, const store::ExecutionRecord& execution,
                                  const StepOutputs& outputs, const StepTypeRegistry& types,
                                  store::ArtifactStore& artifacts);

}  // namespace grove::pipeline
