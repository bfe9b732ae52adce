#pragma once

// The model versions the registry benchmarks register: a model artifact digest, an evaluation report digest and
// metadata like a pipeline's; one in three approved.

#include <string>

#include "store/records.h"

namespace grove::bench {

inline store::ModelVersionRecord BenchVersion(const std::string& group, int i) {
  store::ModelVersionRecord v;
  v.group = group;
  v.approval_status = i % 3 == 0 ? store::kApproved : store::kPendingManualApproval;
  v.model_digest = std::string(64, 'a');
  v.metrics = {{"model_quality", std::string(64, 'b')}};
  v.metadata = {{"family", "xgboost"}, {"pipeline", "bench"}, {"description", "benchmark version"}};
  return v;
}

}  // namespace grove::bench
