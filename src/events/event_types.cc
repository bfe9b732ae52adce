#include "events/event_types.h"

#include <algorithm>

namespace grove::events {

namespace {

std::optional<std::string> ByStatus(const Json& payload, const std::vector<std::pair<std::string, std::string>>& map) {
  const std::string status = payload.is_object() ? payload.value("status", "") : "";
  for (const auto& [from, to] : map) {
    if (status == from) return to;
  }
  return std::nullopt;
}

bool StartsWith(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

const std::vector<std::string>& PublicEventTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> types = {"model.registered",   "model.approved",      "model.rejected",
                                      "execution.started",  "execution.succeeded", "execution.failed",
                                      "execution.stopped",  kEventEndpointUpdated, kEventQualityViolation,
                                      "promotion.pending",  "promotion.succeeded", "promotion.failed",
                                      "promotion.rejected", store::kEventRolloutStarted,
                                      store::kEventRolloutStep, store::kEventRolloutSucceeded,
                                      store::kEventRolloutRolledBack, store::kEventRolloutAborted};
    std::sort(types.begin(), types.end());
    return types;
  }();
  return kTypes;
}

std::optional<std::string> PublicTypeOf(const store::EventRecord& e) {
  const std::string& k = e.kind;
  if (k == store::kEventModelCreated) return "model.registered";
  if (k == store::kEventModelApproval) {
    return ByStatus(e.payload, {{store::kApproved, "model.approved"}, {store::kRejected, "model.rejected"}});
  }
  if (k == store::kEventExecutionCreated) return "execution.started";
  if (k == store::kEventExecutionStatus) {
    return ByStatus(e.payload, {{store::kSucceeded, "execution.succeeded"},
                                {store::kFailed, "execution.failed"},
                                {store::kStopped, "execution.stopped"}});
  }
  if (k == store::kEventEndpointCreated || k == store::kEventEndpointDeployed ||
      k == store::kEventEndpointUndeployed || k == store::kEventEndpointPromoted || k == kEventEndpointUpdated ||
      k == store::kEventEndpointTraffic) {
    return std::string(kEventEndpointUpdated);
  }
  if (k == kEventQualityViolation || StartsWith(k, "promotion.") || StartsWith(k, "rollout.")) return k;
  return std::nullopt;
}

std::optional<Json> ToPublicEvent(const store::EventRecord& e, store::StoreReader* rows) {
  std::optional<std::string> type = PublicTypeOf(e);
  if (!type) return std::nullopt;
  Json out = {{"type", *type}, {"seq", e.seq}, {"at", FormatIso8601(e.at)}, {"subject", e.subject}};
  if (e.payload.is_object()) {
    for (const auto& [key, value] : e.payload.items()) {
      if (!out.contains(key)) out[key] = value;
    }
  }
  if (StartsWith(e.kind, "execution.")) {
    if (!out.contains("execution_id")) out["execution_id"] = e.subject;
    if (!out.contains("pipeline") && rows != nullptr) {
      Result<std::optional<store::ExecutionRecord>> found = rows->FindExecution(e.subject);
      if (found.ok() && *found) out["pipeline"] = (*found)->pipeline;
    }
  }
  if (*type == kEventEndpointUpdated) {
    if (!out.contains("endpoint")) out["endpoint"] = e.subject;
    // Which change: created, deployed, undeployed, promoted, traffic (variants), or updated (a configuration apply).
    if (!out.contains("change")) out["change"] = e.kind.substr(e.kind.find('.') + 1);
  }
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative with one backtrack point: linear for patterns users write.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool IsKnownEventPattern(const std::string& on) {
  if (on.empty()) return false;
  if (on.find_first_of("*?") == std::string::npos) {
    return (StartsWith(on, "promotion.") && on.size() > 10) ||
           std::binary_search(PublicEventTypes().begin(), PublicEventTypes().end(), on);
  }
  for (const std::string& type : PublicEventTypes()) {
    if (GlobMatch(on, type)) return true;
  }
  return false;
}

std::string FieldText(const Json& event, const std::string& field) {
  auto it = event.find(field);
  if (it == event.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace grove::events
