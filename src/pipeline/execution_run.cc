#include "pipeline/execution_run.h"

#include "pipeline/expansion.h"
#include "pipeline/item_template.h"
#include "store/step_run_records.h"

namespace grove::pipeline {

ExecutionRun::ExecutionRun(const ExecutorServices& services, Definition def,
                           std::map<std::string, std::set<std::string>> deps, store::ExecutionRecord record)
    : services_(services), def_(std::move(def)), record_(std::move(record)), planner_(def_, std::move(deps)) {}

namespace {

// "DummyDim2" of "Train[DummyDim2]"; the name itself when it names no item.
std::string ItemOf(const std::string& step) {
  std::string item = SplitItemStepName(step).second;
  return item.empty() ? step : item;
}

}  // namespace

Status ExecutionRun::Expand(const std::string& parent, std::vector<StepDef> steps, const StepTypeRegistry& types,
                            bool contained) {
  ASSIGN_OR_RETURN(auto waits_for, CheckExpansion(def_, parent, steps, types));
  RETURN_IF_ERROR(planner_.AddSteps(parent, waits_for, contained));
  std::set<std::string> items;
  for (const StepDef& s : steps) items.insert(ItemOf(s.name));
  item_counts_[parent] += items.size();
  def_.steps.insert(def_.steps.end(), steps.begin(), steps.end());
  return Status::OK();
}

void ExecutionRun::ContainedFailure(const std::string& step, const std::string& reason) {
  failed_items_[planner_.ContainedBy(step)].emplace(ItemOf(step), step + ": " + reason);
}

store::StepRunRecord& ExecutionRun::StepRun(const std::string& step) {
  store::StepRunRecord& run = steps_[step];
  if (run.step_name.empty()) {
    run.execution_id = record_.id;
    run.step_name = step;
    run.step_type = def_.FindStep(step)->type;
  }
  return run;
}

void ExecutionRun::Record(const std::string& step, const StepObserver& observer,
                          const std::vector<store::ArtifactRecord>& artifacts,
                          const std::vector<store::ArtifactLink>& links) {
  store::StepRunRecord& run = StepRun(step);
  Status s = services_.metadata->PutStepRun(run, artifacts, links);
  if (!s.ok()) {
    // Report a store failure on the step itself rather than lose it.
    run.status = "Failed";
    run.failure_reason = "cannot record step run: " + s.message();
    (void)services_.metadata->PutStepRun(run, {}, {});
  }
  if (observer) observer(run);
}

Status ExecutionRun::RecordWith(const std::string& step, store::StepRunRecord done,
                                const std::vector<store::ArtifactRecord>& artifacts,
                                const std::vector<store::ArtifactLink>& links,
                                const std::function<Status(store::StoreTransaction&, store::StepRunRecord&)>& effects,
                                const StepObserver& observer) {
  RETURN_IF_ERROR(services_.metadata->Transact([&](store::StoreTransaction& txn) {
    RETURN_IF_ERROR(effects(txn, done));
    return store::WriteStepRun(txn, done, artifacts, links, services_.clock->Now());
  }));
  store::StepRunRecord& run = StepRun(step);
  run = std::move(done);
  if (observer) observer(run);
  return Status::OK();
}

void ExecutionRun::EndStep(const std::string& step, const std::string& status, const std::string& reason,
                           const StepObserver& observer) {
  store::StepRunRecord& run = StepRun(step);
  if (run.started_at == 0) run.started_at = services_.clock->Now();
  run.status = status;
  run.failure_reason = reason;
  run.ended_at = services_.clock->Now();
  Record(step, observer);
}

void ExecutionRun::Fail(const std::string& reason) {
  if (failure_reason_.empty()) failure_reason_ = reason;
  planner_.Halt();
}

bool ExecutionRun::RequestStop() {
  if (done_ || stopped_) return false;
  stopped_ = true;
  *stop_ = true;
  planner_.Halt();
  return true;
}

void ExecutionRun::Finish() {
  std::string status = "Succeeded";
  std::string reason;
  for (const auto& [parent, failed] : failed_items_) {
    std::string names;
    std::string details;
    for (const auto& [item, why] : failed) {
      names += (names.empty() ? "" : ", ") + item;
      details += "\n  " + why;
    }
    std::string message = std::to_string(failed.size()) + " of " + std::to_string(item_counts_[parent]) +
                          " items failed: " + names;
    store::StepRunRecord& run = StepRun(parent);
    run.status = "Failed";
    run.failure_reason = message + details;
    run.metadata["failed_items"] = Json::array();
    for (const auto& [item, why] : failed) run.metadata["failed_items"].push_back(item);
    Record(parent, nullptr);
    Fail("step " + parent + " failed: " + message);
  }
  if (stopped_) {
    status = "Stopped";
  } else if (!failure_reason_.empty()) {
    status = "Failed";
    reason = failure_reason_;
  }
  done_ = true;
  Status s = services_.metadata->UpdateExecutionStatus(record_.id, status, reason, services_.clock->Now());
  if (!s.ok()) {
    (void)services_.metadata->UpdateExecutionStatus(record_.id, "Failed", "cannot record the end: " + s.message(),
                                                    services_.clock->Now());
  }
}

}  // namespace grove::pipeline
