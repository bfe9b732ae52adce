#pragma once

#include <string>

#include "common/json.h"
#include "common/status.h"
#include "serving/endpoint_service.h"
#include "serving/payload.h"
#include "store/records.h"

namespace grove::serving {

// The gate before `grove endpoint promote SOURCE TARGET` (the seed-002 flow):
// SOURCE must be in service and answer a test invocation of `sample` with one
// finite prediction per row from each model it serves, loaded the way a
// server loads them. `service` must have been refreshed.
//
// With `require_capture`, SOURCE must also capture requests (seed 002's gate
// checks that data capture is on).
//
// On success returns the promotion to record: SOURCE's live versions as the
// models, and in `test` the sample's row count and each model's first
// predictions. FailedPrecondition names the model and the reason when the
// gate refuses; nothing is recorded then.
Result<store::PromotionRecord> CheckPromotion(EndpointService& service, const std::string& source,
                                              const std::string& target, const PredictRequest& sample,
                                              bool require_capture = false);

}  // namespace grove::serving
