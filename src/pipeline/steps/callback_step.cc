#include <chrono>
#include <thread>

#include "common/file_util.h"
#include "common/ids.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/sagemaker_job.h"
#include "store/callback_records.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

namespace {

// SageMaker's Callback step: makes a callback token, records it (the event
// "step.callback" names it, and ListPipelineExecutionSteps shows it while the
// step waits) and waits until SendPipelineExecutionStepSuccess or -Failure
// carries it. Success fills the step's OutputParameters with the values sent;
// failure fails the step with the reason sent. The wait holds one executor
// slot. SqsQueueUrl is recorded, not used: Grove sends no SQS message.
class CallbackStep : public SageMakerJobBase {
 public:
  std::string_view Name() const override { return "Callback"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }

  Status Run(StepContext& ctx) const override {
    if (ctx.store == nullptr) return Status::Internal("no store to record the callback token in");
    store::CallbackRecord callback;
    callback.token = NewCallbackToken();
    callback.execution_id = ctx.execution_id;
    callback.step = ctx.step->name;
    const std::string queue = ctx.arguments.value("SqsQueueUrl", "");
    const TimeMs now = SystemClock::Default()->Now();
    RETURN_IF_ERROR(ctx.store->Transact([&](store::StoreTransaction& txn) -> Status {
      RETURN_IF_ERROR(store::CreateCallback(txn, callback, now));
      return txn.AppendEvent(now, "step.callback", ctx.execution_id + "/" + ctx.step->name,
                             {{"token", callback.token}, {"sqs_queue_url", queue},
                              {"arguments", ctx.arguments.value("request", Json::object())}})
          .status();
    }));
    ctx.log("waiting for SendPipelineExecutionStepSuccess or -Failure with callback token " + callback.token);
    while (true) {
      ASSIGN_OR_RETURN(callback, store::ReadValue(*ctx.store, [&](store::StoreReader& rows) {
                         return store::RequireCallback(rows, callback.token);
                       }));
      if (callback.status != "Waiting") break;
      if (ctx.stopping()) return Status::Cancelled("stopped while waiting for callback token " + callback.token);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ctx.metadata = {{"callback_token", callback.token},
                    {"sqs_queue_url", queue},
                    {"output_parameters", OutputParameterList(callback.outputs)}};
    if (callback.status == "Failed") {
      return Status::FailedPrecondition(callback.failure_reason.empty() ? "the callback reported a failure"
                                                                        : callback.failure_reason);
    }
    return WriteFile(ctx.OutputPath("properties"), Json{{"OutputParameters", callback.outputs}}.dump());
  }
};

}  // namespace

std::unique_ptr<StepType> MakeCallbackStep() { return std::make_unique<CallbackStep>(); }

}  // namespace grove::pipeline
