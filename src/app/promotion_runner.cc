#include "app/promotion_runner.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

#include "store/records.h"

namespace grove::app {

namespace {

std::string RunName(const std::string& flow, int64_t id) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%06lld", static_cast<long long>(id));
  return flow + "/" + digits;
}

std::string RunLabel(const PromotionRun& run) { return "promotion run " + RunName(run.flow, run.id); }

std::string Ref(const PromotionRun& run) { return store::VersionRef(run.group, run.version); }

std::string Robot(const std::string& flow) { return "promotion:" + flow; }

// The version an event makes Approved, and who approved it.
struct ApprovedVersion {
  std::string group;
  int version = 0;
  std::string by;
};

std::optional<ApprovedVersion> ApprovalOf(const store::EventRecord& e) {
  const Json& p = e.payload;
  if (!p.is_object() || !p.contains("group") || !p["group"].is_string() || !p.contains("version") ||
      !p["version"].is_number_integer()) {
    return std::nullopt;
  }
  ApprovedVersion out{p["group"].get<std::string>(), p["version"].get<int>(), ""};
  if (e.kind == store::kEventModelApproval && p.value("status", "") == store::kApproved &&
      p.value("previous_status", "") != store::kApproved) {
    out.by = p.value("by", "");
  } else if (e.kind == store::kEventModelCreated && p.value("approval_status", "") == store::kApproved) {
    std::string execution = p.value("execution_id", "");
    out.by = execution.empty() ? "registry" : "execution " + execution;
  } else {
    return std::nullopt;
  }
  return out;
}

Json EventPayload(const PromotionRun& run, const std::string& by, const std::string& reason) {
  Json p = {{"flow", run.flow}, {"id", run.id}, {"group", run.group}, {"version", run.version},
            {"staging", run.staging}, {"production", run.production}};
  if (!by.empty()) p["by"] = by;
  if (!reason.empty()) p["reason"] = reason;
  return p;
}

Status Put(store::StoreTransaction& txn, const PromotionRun& run, TimeMs now) {
  return txn.PutResource({kPromotionRunKind, RunName(run.flow, run.id), ToJson(run), run.started_at, now});
}

Status AppendRunEvent(store::StoreTransaction& txn, TimeMs now, const char* kind, const PromotionRun& run,
                      const std::string& by, const std::string& reason) {
  return txn.AppendEvent(now, kind, RunName(run.flow, run.id), EventPayload(run, by, reason)).status();
}

// Ends `run` with `status`, recording `stage` and the event `kind`.
Status End(store::StoreTransaction& txn, PromotionRun& run, const std::string& status, PromotionStage stage,
           const char* kind) {
  run.status = status;
  run.ended_at = stage.at;
  run.stages.push_back(stage);
  RETURN_IF_ERROR(Put(txn, run, stage.at));
  return AppendRunEvent(txn, stage.at, kind, run, stage.by, stage.detail);
}

Result<std::optional<PromotionRun>> Find(store::StoreReader& rows, const std::string& flow, int64_t id) {
  ASSIGN_OR_RETURN(auto record, rows.FindResource(kPromotionRunKind, RunName(flow, id)));
  if (!record) return std::optional<PromotionRun>();
  Result<PromotionRun> run = PromotionRunFromJson(record->body);
  if (!run.ok()) return run.status().WithContext("stored " + RunName(flow, id));
  return std::optional<PromotionRun>(std::move(*run));
}

Result<std::vector<PromotionRun>> ListOf(store::StoreReader& rows, const std::string& flow) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all,
                   rows.ListResources(kPromotionRunKind, flow.empty() ? "" : flow + "/", "", 0));
  std::vector<PromotionRun> runs;
  for (const store::ResourceRecord& r : all) {
    Result<PromotionRun> run = PromotionRunFromJson(r.body);
    if (!run.ok()) return run.status().WithContext("stored promotion run " + r.name);
    runs.push_back(std::move(*run));
  }
  return runs;
}

// Creates the run of `flow` for `approved`, superseding the flow's runs that have not reached approval.
Status StartRun(store::StoreTransaction& txn, const PromotionFlowSpec& flow, const ApprovedVersion& approved,
                int64_t seq, TimeMs now, std::vector<int64_t>* started) {
  ASSIGN_OR_RETURN(std::vector<PromotionRun> runs, ListOf(txn, flow.name));
  PromotionRun run;
  run.flow = flow.name;
  run.id = runs.empty() ? 1 : runs.back().id + 1;
  run.group = approved.group;
  run.version = approved.version;
  run.staging = flow.staging;
  run.production = flow.production;
  run.status = kRunRunning;
  run.started_at = now;
  run.event_seq = seq;
  run.stages.push_back({"started", kRunSucceeded, approved.by, now, Ref(run) + " approved (event " +
                                                                         std::to_string(seq) + ")"});
  for (PromotionRun& older : runs) {
    if (older.status != kRunRunning && older.status != kRunPending) continue;
    std::string why = "superseded by run " + RunName(run.flow, run.id) + " (" + Ref(run) + ")";
    RETURN_IF_ERROR(End(txn, older, kRunSuperseded, {"superseded", kRunSuperseded, Robot(flow.name), now, why},
                        store::kEventPromotionFailed));
  }
  RETURN_IF_ERROR(Put(txn, run, now));
  RETURN_IF_ERROR(AppendRunEvent(txn, now, store::kEventPromotionStarted, run, approved.by, ""));
  started->push_back(run.id);
  return Status::OK();
}

Result<int64_t> ReadCursor(store::StoreReader& rows) {
  ASSIGN_OR_RETURN(auto record, rows.FindResource(kPromotionCursorKind, "events"));
  if (!record || !record->body.contains("seq") || !record->body["seq"].is_number_integer()) return int64_t{0};
  return record->body["seq"].get<int64_t>();
}

}  // namespace

Result<int64_t> PromotionRunner::Cursor() {
  return store::ReadValue(*metadata_, [](store::StoreReader& rows) { return ReadCursor(rows); });
}

Status PromotionRunner::HandleEvents(const std::vector<store::EventRecord>& events) {
  if (events.empty()) return Status::OK();
  std::vector<std::pair<std::string, int64_t>> started;
  RETURN_IF_ERROR(metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    started.clear();
    ASSIGN_OR_RETURN(int64_t cursor, ReadCursor(txn));
    if (events.back().seq <= cursor) return Status::OK();  // Another runner handled them.
    ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> flows, txn.ListResources(kPromotionFlowKind, "", "", 0));
    const TimeMs now = clock_->Now();
    for (const store::EventRecord& e : events) {
      std::optional<ApprovedVersion> approved = e.seq > cursor ? ApprovalOf(e) : std::nullopt;
      if (!approved) continue;
      for (const store::ResourceRecord& record : flows) {
        Result<PromotionFlowSpec> flow = PromotionFlowFromJson(record.name, record.body, nullptr);
        if (!flow.ok() || e.at < record.created_at || !FlowCoversGroup(*flow, approved->group)) continue;
        std::vector<int64_t> ids;
        RETURN_IF_ERROR(StartRun(txn, *flow, *approved, e.seq, now, &ids));
        for (int64_t id : ids) started.emplace_back(flow->name, id);
      }
    }
    return txn.PutResource({kPromotionCursorKind, "events", {{"seq", events.back().seq}}, now, now});
  }));
  for (const auto& [flow, id] : started) RETURN_IF_ERROR(Drive(flow, id));
  return Status::OK();
}

Status PromotionRunner::ResumeUnfinished() {
  ASSIGN_OR_RETURN(std::vector<PromotionRun> runs, store::ReadValue(*metadata_, [](store::StoreReader& rows) {
                     return ListOf(rows, "");
                   }));
  for (const PromotionRun& run : runs) {
    if (run.status == kRunRunning || run.status == kRunDeploying) RETURN_IF_ERROR(Drive(run.flow, run.id));
  }
  return Status::OK();
}

Status PromotionRunner::Drive(const std::string& flow, int64_t id) {
  ASSIGN_OR_RETURN(PromotionRun run, store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return GetPromotionRun(rows, flow, id);
                   }));
  if (run.status == kRunRunning) return DriveToPending(std::move(run));
  if (run.status == kRunDeploying) return DriveToProduction(std::move(run));
  return Status::OK();
}

namespace {

// Records the next stage of the run when it still has status `expected` (a
// newer run may have superseded it meanwhile); `change` may end it or move
// it on. Whether it was recorded.
Result<bool> Record(store::MetadataStore& metadata, const PromotionRun& run, const std::string& expected,
                    const std::function<Status(store::StoreTransaction&, PromotionRun&)>& change) {
  bool recorded = false;
  RETURN_IF_ERROR(metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<PromotionRun> stored, Find(txn, run.flow, run.id));
    recorded = stored && stored->status == expected;
    if (!recorded) return Status::OK();
    return change(txn, *stored);
  }));
  return recorded;
}

// Ends the run Failed at `stage`.
Result<bool> Fail(store::MetadataStore& metadata, const PromotionRun& run, const std::string& expected,
                  const std::string& stage, const std::string& by, TimeMs now, const Status& why) {
  return Record(metadata, run, expected, [&](store::StoreTransaction& txn, PromotionRun& stored) {
    return End(txn, stored, kRunFailed, {stage, kRunFailed, by, now, why.message()}, store::kEventPromotionFailed);
  });
}

}  // namespace

Status PromotionRunner::DriveToPending(PromotionRun run) {
  const std::string robot = Robot(run.flow);
  Result<PromotionFlowSpec> flow = store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
    return GetPromotionFlow(rows, run.flow);
  });
  if (!flow.ok()) return Fail(*metadata_, run, kRunRunning, "staging", robot, clock_->Now(), flow.status()).status();
  // Staging.
  Result<std::string> deployed = actions_->Deploy(run.staging, Ref(run), robot, RunLabel(run));
  const TimeMs deployed_at = clock_->Now();
  if (!deployed.ok()) return Fail(*metadata_, run, kRunRunning, "staging", robot, deployed_at, deployed.status()).status();
  auto add = [&](PromotionStage stage) {
    return Record(*metadata_, run, kRunRunning, [&](store::StoreTransaction& txn, PromotionRun& stored) {
      stored.stages.push_back(stage);
      return Put(txn, stored, stage.at);
    });
  };
  ASSIGN_OR_RETURN(bool still, add({"staging", kRunSucceeded, robot, deployed_at, *deployed}));
  if (!still) return Status::OK();
  // The gate.
  Result<std::string> tested = actions_->TestSample(run.staging, flow->gate.sample, flow->gate.raw);
  std::string detail = tested.ok() ? *tested : "";
  if (tested.ok() && flow->gate.quality_check) {
    Result<std::string> quality = actions_->CheckQuality(run.staging, Ref(run), flow->gate.sample, deployed_at);
    if (quality.ok()) detail += "; " + *quality;
    else tested = quality.status();
  }
  if (!tested.ok()) return Fail(*metadata_, run, kRunRunning, "gate", robot, clock_->Now(), tested.status()).status();
  ASSIGN_OR_RETURN(still, add({"gate", kRunSucceeded, robot, clock_->Now(), detail}));
  if (!still) return Status::OK();
  // Waiting for approval.
  std::string who = "anyone with the approver role";
  if (!flow->approvers.empty()) {
    who.clear();
    for (const std::string& a : flow->approvers) who += (who.empty() ? "" : ", ") + a;
  }
  const TimeMs now = clock_->Now();
  return Record(*metadata_, run, kRunRunning, [&](store::StoreTransaction& txn, PromotionRun& stored) {
           stored.status = kRunPending;
           stored.stages.push_back({"approval", kRunPending, robot, now, "waiting for approval by " + who});
           RETURN_IF_ERROR(Put(txn, stored, now));
           return AppendRunEvent(txn, now, store::kEventPromotionPending, stored, robot, "");
         })
      .status();
}

Status PromotionRunner::DriveToProduction(PromotionRun run) {
  // The approval stage says who approved; production is deployed in their name.
  std::string by = run.stages.empty() ? Robot(run.flow) : run.stages.back().by;
  Result<std::string> deployed = actions_->Deploy(run.production, Ref(run), by, RunLabel(run));
  const TimeMs now = clock_->Now();
  if (!deployed.ok()) return Fail(*metadata_, run, kRunDeploying, "production", by, now, deployed.status()).status();
  return Record(*metadata_, run, kRunDeploying, [&](store::StoreTransaction& txn, PromotionRun& stored) {
           return End(txn, stored, kRunSucceeded, {"production", kRunSucceeded, by, now, *deployed},
                      store::kEventPromotionSucceeded);
         })
      .status();
}

Result<PromotionRun> PromotionRunner::Decide(const std::string& flow, int64_t id, const std::string& by,
                                             const std::string& comment, bool approve) {
  if (by.empty()) return Status::InvalidArgument("who approves or rejects is required (--by)");
  if (!approve && comment.empty()) return Status::InvalidArgument("a rejection needs a --comment saying why");
  const TimeMs now = clock_->Now();
  RETURN_IF_ERROR(metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(PromotionRun run, GetPromotionRun(txn, flow, id));
    if (run.status != kRunPending) {
      return Status::FailedPrecondition(RunLabel(run) + " is " + run.status +
                                        ": only a Pending run (one waiting for approval) can be " +
                                        (approve ? "approved" : "rejected"));
    }
    ASSIGN_OR_RETURN(PromotionFlowSpec spec, GetPromotionFlow(txn, flow));
    if (!spec.approvers.empty() && std::find(spec.approvers.begin(), spec.approvers.end(), by) == spec.approvers.end()) {
      std::string names;
      for (const std::string& a : spec.approvers) names += (names.empty() ? "" : ", ") + a;
      return Status::PermissionDenied("'" + by + "' may not approve or reject runs of promotion flow '" + flow +
                                      "' (its approvers: " + names + ")");
    }
    PromotionStage stage{"approval", approve ? kRunSucceeded : kRunRejected, by, now, comment};
    if (!approve) return End(txn, run, kRunRejected, stage, store::kEventPromotionRejected);
    run.status = kRunDeploying;
    run.stages.push_back(stage);
    return Put(txn, run, now);
  }));
  if (approve) RETURN_IF_ERROR(Drive(flow, id));
  return store::ReadValue(*metadata_, [&](store::StoreReader& rows) { return GetPromotionRun(rows, flow, id); });
}

Result<PromotionRun> PromotionRunner::Approve(const std::string& flow, int64_t id, const std::string& by,
                                              const std::string& comment) {
  return Decide(flow, id, by, comment, true);
}

Result<PromotionRun> PromotionRunner::Reject(const std::string& flow, int64_t id, const std::string& by,
                                             const std::string& comment) {
  return Decide(flow, id, by, comment, false);
}

Result<std::vector<PromotionRun>> ListPromotionRuns(store::StoreReader& rows, const std::string& flow) {
  ASSIGN_OR_RETURN(std::vector<PromotionRun> runs, ListOf(rows, flow));
  std::stable_sort(runs.begin(), runs.end(), [](const PromotionRun& a, const PromotionRun& b) {
    return a.started_at != b.started_at ? a.started_at > b.started_at : a.event_seq > b.event_seq;
  });
  return runs;
}

Result<PromotionRun> GetPromotionRun(store::StoreReader& rows, const std::string& flow, int64_t id) {
  ASSIGN_OR_RETURN(std::optional<PromotionRun> run, Find(rows, flow, id));
  if (run) return std::move(*run);
  ASSIGN_OR_RETURN(std::vector<PromotionRun> runs, ListOf(rows, flow));
  std::string ids;
  for (const PromotionRun& r : runs) ids += (ids.empty() ? "" : ", ") + std::to_string(r.id);
  return Status::NotFound("no run " + std::to_string(id) + " of promotion flow '" + flow + "' (" +
                          (ids.empty() ? "it has none" : "runs: " + ids) + ")");
}

Result<int64_t> ParsePromotionRunId(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 12 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoll(text) == 0) {
    return Status::InvalidArgument("run id '" + text + "' is not valid: expected a run's number, e.g. 3 or 000003");
  }
  return std::stoll(text);
}

}  // namespace grove::app
