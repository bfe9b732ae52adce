#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pipeline/executor.h"
#include "pipeline/planner.h"
#include "pipeline/step_inputs.h"

namespace grove::pipeline {

// One execution in flight: its definition, planner, the outputs of its
// finished steps, and the record of each step run, which it stores (and
// reports to the observer) on every change. Used by the executor's loop
// thread only, under the executor's lock.
class ExecutionRun {
 public:
  ExecutionRun(const ExecutorServices& services, Definition def, std::map<std::string, std::set<std::string>> deps,
               store::ExecutionRecord record);

  const std::string& id() const { return record_.id; }
  const store::ExecutionRecord& record() const { return record_; }
  const Definition& def() const { return def_; }
  // Adds the steps that `parent` returned in a StepResult::Expansion (see
  // expansion.h); on success they run like written steps. With `contained`
  // (StepResult::contained), their failures are ContainedFailure's.
  Status Expand(const std::string& parent, std::vector<StepDef> steps, const StepTypeRegistry& types,
                bool contained = false);
  Planner& planner() { return planner_; }
  StepOutputs& outputs() { return outputs_; }
  const std::shared_ptr<std::atomic<bool>>& stop_flag() const { return stop_; }

  bool stopped() const { return stopped_; }
  bool done() const { return done_; }
  int in_flight = 0;  // Tasks started and not yet ended.
  // Steps that run without a cache lookup: a selective re-run's (Executor::Rerun).
  std::set<std::string> uncached;

  // The step run's record, created on first use.
  store::StepRunRecord& StepRun(const std::string& step);
  // Stores the step run (with `artifacts` and `links`) and tells the observer.
  void Record(const std::string& step, const StepObserver& observer,
              const std::vector<store::ArtifactRecord>& artifacts = {},
              const std::vector<store::ArtifactLink>& links = {});
  // Stores `done` as the step run, with what `effects` writes in the same
  // transaction (it may add to the record, e.g. its metadata), then tells the
  // observer. On error nothing is stored and the step run is as it was.
  Status RecordWith(const std::string& step, store::StepRunRecord done,
                    const std::vector<store::ArtifactRecord>& artifacts, const std::vector<store::ArtifactLink>& links,
                    const std::function<Status(store::StoreTransaction&, store::StepRunRecord&)>& effects,
                    const StepObserver& observer);
  // Ends the step run with `status` (and reason) now.
  void EndStep(const std::string& step, const std::string& status, const std::string& reason,
               const StepObserver& observer);

  // The first failure ends the execution Failed with this reason.
  void Fail(const std::string& reason);
  // A failure of `step`, which a contained expansion added (a ForEach item's
  // step): the item's remaining steps are skipped, the others go on, and at
  // the end the expanding step's run and the execution are Failed, naming the
  // failed items.
  void ContainedFailure(const std::string& step, const std::string& reason);
  // Stops starting steps; running ones are asked to stop. False if already stopping or done.
  bool RequestStop();
  // Records the execution's end.
  void Finish();

 private:
  const ExecutorServices& services_;
  Definition def_;  // Grows by expansions; its steps never move.
  store::ExecutionRecord record_;
  Planner planner_;
  StepOutputs outputs_;
  std::map<std::string, store::StepRunRecord> steps_;
  std::shared_ptr<std::atomic<bool>> stop_ = std::make_shared<std::atomic<bool>>(false);
  std::string failure_reason_;
  // Expanding step -> (item -> "step: reason") of its failed items, and how many items it added.
  std::map<std::string, std::map<std::string, std::string>> failed_items_;
  std::map<std::string, size_t> item_counts_;
  bool stopped_ = false;
  bool done_ = false;
};

}  // namespace grove::pipeline
