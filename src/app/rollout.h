#pragma once

// A safe deployment of one version onto an endpoint (SageMaker's deployment
// guardrails): the new version takes a share of its group's traffic as the
// variant "canary" beside the serving version as "stable", for a bake time per
// step, while alarms watch the canary; then it takes all of it, or an alarm
// sends all traffic back to the previous version. The record is one document
// per endpoint (kind "rollout"): the latest rollout, running or finished;
// every change is also an event (rollout.started, .step, .succeeded,
// .rolled_back, .aborted), which hooks can notify.

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::app {

inline constexpr const char* kRolloutKind = "rollout";
inline constexpr const char* kStableVariant = "stable";
inline constexpr const char* kCanaryVariant = "canary";

// Thresholds checked over each step's window of canary traffic; a negative
// value turns an alarm off. Alarms wait for `min_requests` canary requests.
struct RolloutAlarms {
  double max_error_rate = -1;  // Failed / routed invocations of the canary, 0-1.
  double max_p99_ms = -1;      // The canary's p99 model latency.
  // |mean(canary) - mean(stable)| / stddev(stable) of the first value each
  // answered row, over the same window: prediction drift against the previous version.
  double max_drift = -1;
  uint64_t min_requests = 20;
};

// What `grove endpoint deploy --canary|--linear` asks for.
struct RolloutSpec {
  std::string endpoint;
  std::string model;       // "G/N", an Approved version.
  std::string strategy;    // "canary": `percent` for one bake, then all; "linear": steps of `percent`.
  double percent = 10;     // 0 < percent < 100.
  TimeMs bake_ms = 60000;  // Per step.
  RolloutAlarms alarms;
  std::string by;
};

struct RolloutRecord {
  std::string endpoint;
  std::string group;
  int from = 0;  // The version that served before; it stays pinned until success.
  int to = 0;
  std::string strategy;
  double percent = 0;
  TimeMs bake_ms = 0;
  RolloutAlarms alarms;
  std::string state;  // Running | Succeeded | RolledBack | Aborted
  size_t step = 0;    // Index into Shares() while Running.
  TimeMs started_at = 0;
  TimeMs step_started_at = 0;
  TimeMs ended_at = 0;
  std::string started_by;
  std::string reason;  // Why it ended, when it did not succeed.
  Json history = Json::array();  // [{at, message}], oldest first.

  // The canary's share at each step, in percent: {percent} for a canary;
  // percent, 2 percent, ... below 100 for linear. After the last step's bake
  // the new version takes all traffic.
  std::vector<double> Shares() const;
  bool running() const { return state == "Running"; }
  void Log(TimeMs at, const std::string& message);
};

Json ToJson(const RolloutRecord& rollout);
Result<RolloutRecord> RolloutFromJson(const Json& json);
// InvalidArgument naming what is wrong (strategy, percent, bake time, thresholds).
Status ValidateRolloutSpec(const RolloutSpec& spec);

}  // namespace grove::app
