#pragma once

// The runs of promotion flows (app/promotion_flow.h), seed 002's ModelDeploy:
// a version of a flow's groups becomes Approved -> it is deployed to staging
// -> the gate (the sample test, and the data-quality check when asked) -> the
// run waits for a manual approval (event promotion.pending) -> `grove
// promotion approve` deploys the same version to production. A failed gate, a
// rejection or a newer approval of the flow (which supersedes a waiting run)
// ends the run and leaves production as it was.
//
// Production gets the version the gate tested (a pin of "G/N"), not whatever
// staging serves when the approval comes: staging may have changed since.
//
// Rows (ResourceRecord kind -> name):
//   "promotion-run"    -> "<flow>/<id, 6 digits>"; body: the run (PromotionRunFromJson)
//   "promotion-cursor" -> "events"; body {seq}: the last event handled
// Events (store/records.h): promotion.started, .pending, .succeeded, .failed, .rejected.

#include <cstdint>
#include <string>
#include <vector>

#include "app/promotion_flow.h"
#include "app/promotion_run.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::app {

inline constexpr const char* kPromotionRunKind = "promotion-run";
inline constexpr const char* kPromotionCursorKind = "promotion-cursor";

// What a run does to endpoints: the seam between the run's rules and serving.
// The real one is app/promotion_actions.h; every method returns, for the
// record, a line saying what it did, or an error saying why not.
class PromotionActions {
 public:
  virtual ~PromotionActions() = default;
  // Pins `ref` ("G/N") on `endpoint`, creating the endpoint when missing.
  virtual Result<std::string> Deploy(const std::string& endpoint, const std::string& ref, const std::string& by,
                                     const std::string& comment) = 0;
  // The test invocation of `endpoint` with `sample` (CSV feature rows, or raw rows when `raw`).
  virtual Result<std::string> TestSample(const std::string& endpoint, const std::string& sample, bool raw) = 0;
  // The data quality of `endpoint`'s requests captured since `since`, and of
  // `sample`, against `ref`'s data-quality baseline; OK (saying so) when the
  // version has none.
  virtual Result<std::string> CheckQuality(const std::string& endpoint, const std::string& ref,
                                           const std::string& sample, TimeMs since) = 0;
};

// Starts and drives runs. Thread safety: one thread at a time per runner;
// several runners (processes) may share a store: each change is one
// transaction that checks the run's status first.
class PromotionRunner {
 public:
  // `metadata`, `actions` and `clock` must outlive the runner.
  PromotionRunner(store::MetadataStore* metadata, PromotionActions* actions, const Clock* clock)
      : metadata_(metadata), actions_(actions), clock_(clock) {}

  // The seq of the last event handled; 0 at first, so approvals made before
  // any server ran start their runs too (a flow acts on approvals made at or
  // after its creation).
  Result<int64_t> Cursor();
  // Starts a run for each version of a flow's groups that `events` (oldest
  // first) make Approved and that the cursor has not passed (model.approval
  // to Approved, model.created as Approved), superseding the flow's older
  // runs that have not reached approval, and moves the cursor past `events`,
  // in one transaction. Then drives each new run to Pending or its end.
  Status HandleEvents(const std::vector<store::EventRecord>& events);
  // Drives runs left Running or Deploying (their process stopped) on.
  Status ResumeUnfinished();

  // A Pending run approved by `by`: deploys its version to production.
  // PermissionDenied when the flow names approvers and `by` is not one;
  // FailedPrecondition when the run does not wait for approval. Returns the
  // run as it ended (Succeeded, or Failed when production refused it).
  Result<PromotionRun> Approve(const std::string& flow, int64_t id, const std::string& by,
                               const std::string& comment);
  // Ends a Pending run Rejected; production is left alone. REQUIRES a comment.
  Result<PromotionRun> Reject(const std::string& flow, int64_t id, const std::string& by,
                              const std::string& comment);

 private:
  Status Drive(const std::string& flow, int64_t id);
  Status DriveToPending(PromotionRun run);
  Status DriveToProduction(PromotionRun run);
  Result<PromotionRun> Decide(const std::string& flow, int64_t id, const std::string& by, const std::string& comment,
                              bool approve);

  store::MetadataStore* metadata_;
  PromotionActions* actions_;
  const Clock* clock_;
};

// Every run (of `flow` only, when not empty), newest first.
Result<std::vector<PromotionRun>> ListPromotionRuns(store::StoreReader& rows, const std::string& flow);
// NotFound naming the flow's runs.
Result<PromotionRun> GetPromotionRun(store::StoreReader& rows, const std::string& flow, int64_t id);
// "3" or "000003". InvalidArgument otherwise.
Result<int64_t> ParsePromotionRunId(const std::string& text);

}  // namespace grove::app
