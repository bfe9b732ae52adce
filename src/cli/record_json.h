#pragma once

#include "common/json.h"
#include "store/records.h"

namespace grove::cli {

// The JSON shapes of `--json` output (also documented in docs/cli.md).
Json ToJson(const store::PipelineRecord& r);
Json ToJson(const store::ExecutionRecord& r);
Json ToJson(const store::StepRunRecord& r);
Json ToJson(const store::ModelGroupRecord& r);
Json ToJson(const store::ModelVersionRecord& r);

}  // namespace grove::cli
