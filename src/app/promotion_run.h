#pragma once

// One run of a promotion flow as the resource table keeps it (the rules
// that move it on are app/promotion_runner.h's).

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::app {

// A run's status. Running: deploying to staging or at the gate; Pending:
// waiting for approval; Deploying: approved, going to production. The
// others are ends.
inline constexpr const char* kRunRunning = "Running";
inline constexpr const char* kRunPending = "Pending";
inline constexpr const char* kRunDeploying = "Deploying";
inline constexpr const char* kRunSucceeded = "Succeeded";
inline constexpr const char* kRunFailed = "Failed";
inline constexpr const char* kRunRejected = "Rejected";
inline constexpr const char* kRunSuperseded = "Superseded";

// One recorded step of a run: started, staging, gate, approval, production, superseded.
struct PromotionStage {
  std::string stage;
  std::string status;  // Succeeded, Failed, Pending, Rejected.
  std::string by;
  TimeMs at = 0;
  std::string detail;
};

struct PromotionRun {
  std::string flow;
  int64_t id = 0;  // Per flow: 1, 2, ...
  std::string group;
  int version = 0;
  std::string staging;
  std::string production;
  std::string status;
  TimeMs started_at = 0;
  TimeMs ended_at = 0;    // 0 while it has not ended.
  int64_t event_seq = 0;  // The approval event that started it.
  std::vector<PromotionStage> stages;  // Oldest first.
};

// The stored form (times in ms) and the view (ISO-8601 times, every stage).
Json ToJson(const PromotionRun& run);
Result<PromotionRun> PromotionRunFromJson(const Json& body);
Json PromotionRunView(const PromotionRun& run);

}  // namespace grove::app
