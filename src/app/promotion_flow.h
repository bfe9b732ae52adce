#pragma once

// Promotion flows (seed 002's ModelDeploy): a version of a model group that
// becomes Approved is deployed to a staging endpoint, tested there, waits for
// a manual approval and then goes to production. This file holds the flow's
// declaration and its rows; the runs are app/promotion_runner.h's.
//
// Rows (ResourceRecord kind -> name):
//   "promotion-flow" -> the flow's name; body ToJson(PromotionFlowSpec)

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/store_transaction.h"

namespace grove::app {

inline constexpr const char* kPromotionFlowKind = "promotion-flow";

// What a staging deployment must pass before it waits for approval.
struct PromotionGate {
  // CSV text of feature rows (numbers) for the test invocation of staging. REQUIRES: at least one row.
  std::string sample;
  // The sample holds raw rows (`input: raw`), which each model's fitted transform
  // turns into features, as `grove invoke --input raw` sends them. Default: feature rows.
  bool raw = false;
  // Also check the data quality of staging's captured CSV requests against the
  // version's data-quality baseline (when it has one). Default: false.
  bool quality_check = false;

  bool operator==(const PromotionGate&) const = default;
};

struct PromotionFlowSpec {
  std::string name;
  std::vector<std::string> groups;  // Globs of model group names ('*' and '?').
  std::string staging;              // Endpoint names; created at the first deployment when missing.
  std::string production;
  PromotionGate gate;
  std::vector<std::string> approvers;  // Identities allowed to approve; empty: anyone with the approver role.

  bool operator==(const PromotionFlowSpec&) const = default;
};

// Reads `body`, the flow's JSON form as a grove.yaml `promotions:` section
// holds it under the flow's name. InvalidArgument naming the problem; on
// error sets *field (may be null) to the offending member's path relative to
// `body`, '/'-separated (e.g. "gate/sample", "staging"), empty when it is the
// body itself (or the name).
Result<PromotionFlowSpec> PromotionFlowFromJson(const std::string& name, const Json& body, std::string* field);
// Declared fields only, canonical: PromotionFlowFromJson(name, ToJson(s)) == s.
Json ToJson(const PromotionFlowSpec& spec);

// Whether `group` matches one of the flow's globs.
bool FlowCoversGroup(const PromotionFlowSpec& spec, const std::string& group);

// Creates or replaces the flow (its creation time stays); its runs stay.
// The flow starts runs for approvals made at or after its creation.
// REQUIRES: `spec` as PromotionFlowFromJson returns it (checked again here).
Status PutPromotionFlow(store::StoreTransaction& txn, const PromotionFlowSpec& spec, TimeMs now);
// Whether there was one. Its runs stay, as history.
Result<bool> DeletePromotionFlow(store::StoreTransaction& txn, const std::string& name);
// By name.
Result<std::vector<PromotionFlowSpec>> ListPromotionFlows(store::StoreReader& rows);
// NotFound naming the flows there are.
Result<PromotionFlowSpec> GetPromotionFlow(store::StoreReader& rows, const std::string& name);

}  // namespace grove::app
