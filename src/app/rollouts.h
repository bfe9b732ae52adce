#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/rollout.h"
#include "common/clock.h"
#include "common/status.h"
#include "serving/variant_metrics.h"
#include "store/metadata_store.h"

namespace grove::app {

// The rules of rollouts (rollout.h) over the store: starting one, each look at
// a running one (alarms, then the next step), and aborting. Every change is
// one transaction that re-reads the rollout and acts only if it is still at
// the step it was seen at, so several servers on one store never act twice.
//
// Starting pins the version the group serves now ("from"), so a following
// endpoint stays on it, and splits the group's traffic into the variants
// "stable" (from) and "canary" (the new version). Success pins the new version
// and removes the variants; a rollback or an abort removes the variants, so
// "from", still pinned, takes all traffic again.
class Rollouts {
 public:
  // The counters of `endpoint`'s `variant` in the serving process (the
  // server's EndpointService); NotFound while it does not serve it yet.
  using CountersSource =
      std::function<Result<serving::VariantCounters>(const std::string& endpoint, const std::string& variant)>;

  Rollouts(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  // FailedPrecondition when the endpoint does not serve the group yet, already
  // serves that version, has variants of its own, or runs a rollout;
  // NotFound / FailedPrecondition for a version that is missing or not Approved.
  Result<RolloutRecord> Start(const RolloutSpec& spec);
  // FailedPrecondition unless a rollout is running on the endpoint.
  Result<RolloutRecord> Abort(const std::string& endpoint, const std::string& by);
  // The endpoint's latest rollout; NotFound when it never had one.
  Result<RolloutRecord> Get(const std::string& endpoint);
  Result<std::vector<RolloutRecord>> List();

  // One look at the endpoint's rollout, when running: an alarm over the
  // current step's window rolls it back (the reason recorded); a bake time
  // that is over moves it to the next step, or to success after the last.
  // Windows start when this object first sees a step, so a restarted server
  // watches the rest of the step afresh.
  Result<RolloutRecord> Advance(const std::string& endpoint, const CountersSource& counters);

 private:
  struct Window {
    size_t step = 0;
    serving::VariantCounters stable;
    serving::VariantCounters canary;
  };
  // The alarm that fires over this window, or empty.
  static std::string Alarm(const RolloutRecord& rollout, const serving::VariantCounters& stable,
                           const serving::VariantCounters& canary);
  // Ends the rollout at `step` RolledBack for `reason`: the variants go, so
  // the pinned previous version takes all traffic.
  Result<RolloutRecord> RollBack(const std::string& endpoint, size_t step, const std::string& reason);
  // Re-reads the rollout in a transaction and, when it is still running at
  // `step`, applies `change` to it and stores it with the event `kind`.
  Result<RolloutRecord> Change(const std::string& endpoint, size_t step, const char* kind,
                               const std::function<Status(store::StoreTransaction&, RolloutRecord&)>& change);

  store::MetadataStore* metadata_;
  const Clock* clock_;
  std::mutex windows_mutex_;
  std::map<std::string, Window> windows_;  // By endpoint.
};

}  // namespace grove::app
