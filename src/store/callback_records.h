#pragma once

// The tokens of waiting Callback steps (SageMaker's CallbackStep), over the
// resource table: a step creates its token and waits; whoever holds the token
// ends the wait once with success (and output parameters) or failure
// (SendPipelineExecutionStepSuccess / -Failure).
//
// Rows (ResourceRecord kind -> name):
//   "callback-token" -> the token; body {execution_id, step, status, outputs, failure_reason}

#include <string>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/store_transaction.h"

namespace grove::store {

struct CallbackRecord {
  std::string token;
  std::string execution_id;
  std::string step;
  std::string status = "Waiting";  // Waiting | Succeeded | Failed.
  Json outputs = Json::object();   // Output parameter name -> value (text), on success.
  std::string failure_reason;      // On failure.
  TimeMs created_at = 0;
};

// Records a new token (Waiting).
Status CreateCallback(StoreTransaction& txn, const CallbackRecord& callback, TimeMs now);
// NotFound naming the token.
Result<CallbackRecord> RequireCallback(StoreReader& rows, const std::string& token);
// The token of step `step` of execution `execution_id`, if it has made one
// (the latest). Reads every token: for the few callback steps a data folder has.
Result<std::optional<std::string>> FindCallbackOfStep(StoreReader& rows, const std::string& execution_id,
                                                      const std::string& step);
// Ends the wait: `status` Succeeded (with `outputs`) or Failed (with `failure_reason`).
// FailedPrecondition when the token's wait has already ended.
Result<CallbackRecord> CompleteCallback(StoreTransaction& txn, const std::string& token, const std::string& status,
                                        const Json& outputs, const std::string& failure_reason, TimeMs now);

}  // namespace grove::store
