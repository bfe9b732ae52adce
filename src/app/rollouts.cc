#include "app/rollouts.h"

#include <cmath>

#include "common/number_text.h"
#include "registry/endpoints.h"
#include "registry/registry.h"
#include "registry/traffic.h"
#include "serving/endpoint_resolution.h"
#include "store/lookups.h"

namespace grove::app {

namespace {

using store::StoreTransaction;

std::vector<registry::VariantSpec> Split(const RolloutRecord& r, double share) {
  return {{kStableVariant, r.group, r.from, 100 - share, false}, {kCanaryVariant, r.group, r.to, share, false}};
}

Json EventPayload(const RolloutRecord& r) {
  return {{"endpoint", r.endpoint},
          {"group", r.group},
          {"from", store::VersionRef(r.group, r.from)},
          {"to", store::VersionRef(r.group, r.to)},
          {"state", r.state},
          {"step", r.step},
          {"reason", r.reason}};
}

Result<std::optional<RolloutRecord>> Find(store::StoreReader& rows, const std::string& endpoint) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> doc, rows.FindResource(kRolloutKind, endpoint));
  if (!doc) return std::optional<RolloutRecord>();
  ASSIGN_OR_RETURN(RolloutRecord rollout, RolloutFromJson(doc->body));
  return std::optional<RolloutRecord>(std::move(rollout));
}

Status Put(StoreTransaction& txn, const RolloutRecord& r, TimeMs now) {
  return txn.PutResource({kRolloutKind, r.endpoint, ToJson(r), r.started_at, now});
}

}  // namespace

Result<RolloutRecord> Rollouts::Start(const RolloutSpec& spec) {
  RETURN_IF_ERROR(ValidateRolloutSpec(spec));
  ASSIGN_OR_RETURN(auto ref, registry::Registry::ParseVersionRef(spec.model));
  ASSIGN_OR_RETURN(serving::ApprovedVersions approved, serving::LoadApprovedVersions(*metadata_));
  return store::TransactValue(*metadata_, [&](StoreTransaction& txn) -> Result<RolloutRecord> {
    ASSIGN_OR_RETURN(store::EndpointRecord endpoint, store::RequireEndpoint(txn, spec.endpoint));
    ASSIGN_OR_RETURN(std::optional<RolloutRecord> previous, Find(txn, spec.endpoint));
    if (previous && previous->running()) {
      return Status::FailedPrecondition("endpoint '" + spec.endpoint + "' already runs a rollout of " +
                                        store::VersionRef(previous->group, previous->to) +
                                        "; wait for it or abort it (grove endpoint rollout abort " + spec.endpoint +
                                        ")");
    }
    ASSIGN_OR_RETURN(registry::TrafficSpec traffic, registry::Traffic::Get(txn, spec.endpoint));
    if (!traffic.variants.empty()) {
      return Status::FailedPrecondition("endpoint '" + spec.endpoint +
                                        "' has variants of its own; remove them first (grove endpoint variants " +
                                        spec.endpoint + " --clear)");
    }
    serving::ResolvedEndpoint resolved(endpoint, approved);
    auto served = resolved.groups().find(ref.first);
    if (served == resolved.groups().end()) {
      return Status::FailedPrecondition("endpoint '" + spec.endpoint + "' does not serve " + ref.first +
                                        " yet, so there is nothing to roll out from; deploy it first");
    }
    if (served->second.version == ref.second) {
      return Status::FailedPrecondition("endpoint '" + spec.endpoint + "' already serves " + spec.model);
    }
    const TimeMs now = clock_->Now();
    RolloutRecord r;
    r.endpoint = spec.endpoint;
    r.group = ref.first;
    r.from = served->second.version;
    r.to = ref.second;
    r.strategy = spec.strategy;
    r.percent = spec.percent;
    r.bake_ms = spec.bake_ms;
    r.alarms = spec.alarms;
    r.state = "Running";
    r.started_at = r.step_started_at = now;
    r.started_by = spec.by;
    r.Log(now, "started: " + ShortNumber(r.Shares()[0]) + "% to " + spec.model + ", the rest to " +
                   store::VersionRef(r.group, r.from));
    registry::Endpoints endpoints(metadata_, clock_);
    RETURN_IF_ERROR(endpoints
                        .Deploy(txn, spec.endpoint,
                                {r.group, r.from, spec.by, "stable version of the rollout of " + spec.model, now})
                        .status());
    RETURN_IF_ERROR(registry::Traffic(metadata_, clock_).Set(txn, spec.endpoint, Split(r, r.Shares()[0]), spec.by));
    RETURN_IF_ERROR(Put(txn, r, now));
    RETURN_IF_ERROR(txn.AppendEvent(now, store::kEventRolloutStarted, r.endpoint, EventPayload(r)).status());
    return r;
  });
}

Result<RolloutRecord> Rollouts::Get(const std::string& endpoint) {
  ASSIGN_OR_RETURN(std::optional<RolloutRecord> found,
                   store::ReadValue(*metadata_, [&](store::StoreReader& rows) { return Find(rows, endpoint); }));
  if (!found) return Status::NotFound("endpoint '" + endpoint + "' has had no rollout");
  return *found;
}

Result<std::vector<RolloutRecord>> Rollouts::List() {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> docs,
                   store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return rows.ListResources(kRolloutKind, "", "", 0);
                   }));
  std::vector<RolloutRecord> out;
  for (const store::ResourceRecord& doc : docs) {
    ASSIGN_OR_RETURN(RolloutRecord r, RolloutFromJson(doc.body));
    out.push_back(std::move(r));
  }
  return out;
}

Result<RolloutRecord> Rollouts::Change(const std::string& endpoint, size_t step, const char* kind,
                                       const std::function<Status(StoreTransaction&, RolloutRecord&)>& change) {
  Result<RolloutRecord> changed = store::TransactValue(*metadata_, [&](StoreTransaction& txn) -> Result<RolloutRecord> {
    ASSIGN_OR_RETURN(std::optional<RolloutRecord> found, Find(txn, endpoint));
    if (!found || !found->running() || found->step != step) {
      if (found) return *found;  // Another process acted first.
      return Status::NotFound("endpoint '" + endpoint + "' has had no rollout");
    }
    RolloutRecord r = std::move(*found);
    RETURN_IF_ERROR(change(txn, r));
    const TimeMs now = clock_->Now();
    RETURN_IF_ERROR(Put(txn, r, now));
    RETURN_IF_ERROR(txn.AppendEvent(now, kind, r.endpoint, EventPayload(r)).status());
    return r;
  });
  if (changed.ok() && !changed->running()) {  // The next rollout starts with windows of its own.
    std::lock_guard<std::mutex> lock(windows_mutex_);
    windows_.erase(endpoint);
  }
  return changed;
}

Result<RolloutRecord> Rollouts::Abort(const std::string& endpoint, const std::string& by) {
  ASSIGN_OR_RETURN(RolloutRecord current, Get(endpoint));
  if (!current.running()) {
    return Status::FailedPrecondition("the rollout on endpoint '" + endpoint + "' is not running (" + current.state +
                                      ")");
  }
  return Change(endpoint, current.step, store::kEventRolloutAborted, [&](StoreTransaction& txn, RolloutRecord& r) {
    const TimeMs now = clock_->Now();
    r.state = "Aborted";
    r.reason = "aborted by " + by;
    r.ended_at = now;
    r.Log(now, r.reason + "; all traffic back to " + store::VersionRef(r.group, r.from));
    return registry::Traffic(metadata_, clock_).Set(txn, endpoint, {}, by);
  });
}

std::string Rollouts::Alarm(const RolloutRecord& r, const serving::VariantCounters& stable,
                            const serving::VariantCounters& canary) {
  const RolloutAlarms& a = r.alarms;
  if (canary.requests < a.min_requests) return "";
  if (a.max_error_rate >= 0 && canary.ErrorRate() > a.max_error_rate) {
    return "error rate " + ShortNumber(canary.ErrorRate()) + " > " + ShortNumber(a.max_error_rate) + " (" +
           std::to_string(canary.errors) + " of " + std::to_string(canary.requests) + " canary requests failed)";
  }
  const double p99_ms = canary.LatencyQuantileSeconds(0.99) * 1000;
  if (a.max_p99_ms >= 0 && p99_ms > a.max_p99_ms) {
    return "p99 latency " + ShortNumber(p99_ms) + " ms > " + ShortNumber(a.max_p99_ms) + " ms over " +
           std::to_string(canary.requests) + " canary requests";
  }
  if (a.max_drift >= 0 && stable.values >= a.min_requests && canary.values > 0) {
    const double drift = std::abs(canary.ValueMean() - stable.ValueMean()) / std::max(stable.ValueStddev(), 1e-9);
    if (drift > a.max_drift) {
      return "prediction drift " + ShortNumber(drift) + " > " + ShortNumber(a.max_drift) + " (mean " +
             ShortNumber(canary.ValueMean()) + " against " + ShortNumber(stable.ValueMean()) + " from version " +
             std::to_string(r.from) + ", stddev " + ShortNumber(stable.ValueStddev()) + ")";
    }
  }
  return "";
}

Result<RolloutRecord> Rollouts::Advance(const std::string& endpoint, const CountersSource& counters) {
  ASSIGN_OR_RETURN(RolloutRecord r, Get(endpoint));
  if (!r.running()) {
    std::lock_guard<std::mutex> lock(windows_mutex_);
    windows_.erase(endpoint);
    return r;
  }
  Result<serving::VariantCounters> stable = counters(endpoint, kStableVariant);
  Result<serving::VariantCounters> canary = counters(endpoint, kCanaryVariant);
  if (!stable.ok() || !canary.ok()) {
    Result<store::EndpointRecord> endpoint_record = metadata_->GetEndpoint(endpoint);
    if (endpoint_record.status().code() != StatusCode::kNotFound) return r;  // Not served yet: the server refreshes first.
    return Change(endpoint, r.step, store::kEventRolloutAborted, [&](StoreTransaction&, RolloutRecord& x) {
      x.state = "Aborted";
      x.reason = "the endpoint was deleted";
      x.ended_at = clock_->Now();
      x.Log(x.ended_at, x.reason);
      return Status::OK();
    });
  }
  Window window;
  {
    std::lock_guard<std::mutex> lock(windows_mutex_);
    auto [it, added] = windows_.try_emplace(endpoint, Window{r.step, *stable, *canary});
    if (!added && it->second.step != r.step) it->second = Window{r.step, *stable, *canary};
    window = it->second;
  }
  const std::string alarm = Alarm(r, stable->Minus(window.stable), canary->Minus(window.canary));
  if (!alarm.empty()) return RollBack(endpoint, r.step, alarm);
  const TimeMs now = clock_->Now();
  if (now - r.step_started_at < r.bake_ms) return r;
  const std::vector<double> shares = r.Shares();
  if (r.step + 1 < shares.size()) {
    return Change(endpoint, r.step, store::kEventRolloutStep, [&](StoreTransaction& txn, RolloutRecord& x) {
      ++x.step;
      x.step_started_at = now;
      x.Log(now, "step " + std::to_string(x.step + 1) + ": " + ShortNumber(shares[x.step]) + "% to " +
                     store::VersionRef(x.group, x.to));
      return registry::Traffic(metadata_, clock_).Set(txn, endpoint, Split(x, shares[x.step]), "rollout");
    });
  }
  Result<RolloutRecord> done =
      Change(endpoint, r.step, store::kEventRolloutSucceeded, [&](StoreTransaction& txn, RolloutRecord& x) {
        x.state = "Succeeded";
        x.ended_at = now;
        x.Log(now, "succeeded: " + store::VersionRef(x.group, x.to) + " takes all traffic");
        registry::Endpoints endpoints(metadata_, clock_);
        RETURN_IF_ERROR(endpoints
                            .Deploy(txn, endpoint,
                                    {x.group, x.to, x.started_by, "rollout succeeded", now})
                            .status());
        return registry::Traffic(metadata_, clock_).Set(txn, endpoint, {}, "rollout");
      });
  if (done.ok() || done.status().code() != StatusCode::kFailedPrecondition) return done;
  // The new version cannot be pinned (rejected meanwhile): back to the previous one.
  return RollBack(endpoint, r.step, done.status().message());
}

Result<RolloutRecord> Rollouts::RollBack(const std::string& endpoint, size_t step, const std::string& reason) {
  return Change(endpoint, step, store::kEventRolloutRolledBack, [&](StoreTransaction& txn, RolloutRecord& x) {
    const TimeMs now = clock_->Now();
    x.state = "RolledBack";
    x.reason = reason;
    x.ended_at = now;
    x.Log(now, "rolled back: " + reason + "; all traffic back to " + store::VersionRef(x.group, x.from));
    return registry::Traffic(metadata_, clock_).Set(txn, endpoint, {}, "rollout");
  });
}

}  // namespace grove::app
