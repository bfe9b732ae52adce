#include "app/record_checks.h"

#include <map>
#include <vector>

#include "store/execution_records.h"
#include "store/trigger_firing_records.h"

namespace grove::app {

namespace {

constexpr int kPage = 2000;

bool Unfinished(const std::string& status) {
  return status == store::kStarting || status == store::kExecuting || status == store::kStopping;
}

std::string Table(const std::string& where, const char* table) { return where + ", table " + table; }

Status CheckStepRuns(store::StoreReader& rows, const store::ExecutionRecord& e, bool running,
                     const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, rows.ListStepRuns(e.id));
  report->checked["step runs"] += static_cast<int64_t>(runs.size());
  for (const store::StepRunRecord& run : runs) {
    const std::string name = "step " + run.step_name + " of execution " + e.id;
    if (Unfinished(run.status) && !running) {
      report->Add("step-run-left-running", Severity::kLost,
                  name + " is " + run.status + " but its execution ended " + e.status +
                      (e.failure_reason.empty() ? "" : " (" + e.failure_reason + ")"),
                  Table(where, "step_runs"));
    }
    if (run.status == store::kSucceeded) {
      for (const auto& [output, digest] : run.outputs.items()) {
        if (!digest.is_string()) continue;
        RETURN_IF_ERROR(CheckRecorded(rows, digest.get<std::string>(), "output " + output + " of " + name,
                                      Table(where, "step_runs"), report));
      }
    }
    if (!run.log_digest.empty()) {
      RETURN_IF_ERROR(CheckRecorded(rows, run.log_digest, "the log of " + name, Table(where, "step_runs"), report));
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckRecorded(store::StoreReader& rows, const std::string& digest, const std::string& what,
                     const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::optional<store::ArtifactRecord> found, rows.FindArtifact(digest));
  if (!found) {
    report->Add("artifact-not-recorded", Severity::kLost, what + " names artifact " + digest + ", which is not recorded",
                where);
  }
  return Status::OK();
}

Status CheckExecutions(store::StoreReader& rows, const store::OwnerLiveness& owners, TimeMs now,
                       const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::ExecutionRecord> executions, rows.ListExecutions("", 0));
  report->checked["executions"] += static_cast<int64_t>(executions.size());
  for (const store::ExecutionRecord& e : executions) {
    bool running = e.status == store::kExecuting || e.status == store::kStopping;
    if (running && store::IsOrphaned(e, owners, now)) {
      report->Add("orphaned-execution", Severity::kWarning,
                  "execution " + e.id + " of " + e.pipeline + " is " + e.status + " but its owner " +
                      (e.lease_owner.empty() ? "(none)" : e.lease_owner) +
                      " is gone or its lease expired; the next grove command fails it, a running server resumes it",
                  Table(where, "executions"));
    } else if (!store::IsExecutionStatus(e.status)) {
      report->Add("execution-status-unknown", Severity::kLost,
                  "execution " + e.id + " has the unknown status '" + e.status + "'", Table(where, "executions"));
    }
    RETURN_IF_ERROR(CheckStepRuns(rows, e, running, where, report));
  }
  return Status::OK();
}

Status CheckQueue(store::StoreReader& rows, const std::string& where, DoctorReport* report) {
  // Predictions per message, then every message against them.
  std::map<int64_t, int> answers;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<store::PredictionRecord> page, rows.ListPredictions("", after, kPage));
    for (const store::PredictionRecord& p : page) ++answers[p.message_id];
    report->checked["predictions"] += static_cast<int64_t>(page.size());
    if (static_cast<int>(page.size()) < kPage) break;
    after = page.back().seq;
  }
  std::map<std::string, int64_t> messages_of_file;
  std::map<std::string, int64_t> done_of_file;
  const std::string messages_table = Table(where, "queue_messages");
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<store::QueueMessageRecord> page, rows.ListQueueMessages("", after, kPage));
    for (const store::QueueMessageRecord& m : page) {
      ++messages_of_file[m.file_key];
      auto it = answers.find(m.id);
      int n = it == answers.end() ? 0 : it->second;
      if (it != answers.end()) answers.erase(it);
      const std::string name = "queue message " + std::to_string(m.id) + " (" + m.source_file + ", row " +
                               std::to_string(m.row_number) + ")";
      if (m.state == store::kMessageDone) {
        ++done_of_file[m.file_key];
        if (n == 0) report->Add("queue-result-missing", Severity::kLost, name + " is done but has no prediction",
                                messages_table);
      } else if (n > 0) {
        report->Add("queue-result-unexpected", Severity::kLost,
                    name + " is " + m.state + " but has a prediction", messages_table);
      }
      if (n > 1) {
        report->Add("queue-result-duplicate", Severity::kLost, name + " has " + std::to_string(n) + " predictions",
                    Table(where, "predictions"));
      }
    }
    report->checked["queue messages"] += static_cast<int64_t>(page.size());
    if (static_cast<int>(page.size()) < kPage) break;
    after = page.back().id;
  }
  for (const auto& [message, n] : answers) {
    report->Add("queue-result-orphan", Severity::kLost,
                std::to_string(n) + " prediction(s) name queue message " + std::to_string(message) + ", which does not exist",
                Table(where, "predictions"));
  }
  for (const char* state : {store::kFileQueued, store::kFileRecorded, store::kFileMoved}) {
    ASSIGN_OR_RETURN(std::vector<store::QueueFileRecord> files, rows.ListQueueFiles(state));
    report->checked["queue files"] += static_cast<int64_t>(files.size());
    for (const store::QueueFileRecord& f : files) {
      const std::string name = "queued file " + f.path;
      if (messages_of_file[f.key] != f.rows) {
        report->Add("queue-file-rows", Severity::kLost,
                    name + " has " + std::to_string(f.rows) + " rows but " + std::to_string(messages_of_file[f.key]) +
                        " messages",
                    Table(where, "queue_files"));
      }
      bool recorded = f.state != store::kFileQueued;
      if (recorded && done_of_file[f.key] != f.rows) {
        report->Add("queue-file-unanswered", Severity::kLost,
                    name + " is " + f.state + " but only " + std::to_string(done_of_file[f.key]) + " of its " +
                        std::to_string(f.rows) + " rows are answered",
                    Table(where, "queue_files"));
      }
      if (f.state == store::kFileRecorded) {
        report->Add("queue-file-not-moved", Severity::kWarning,
                    name + " is answered but not yet moved to " + f.processed_path + "; the next queue workers move it",
                    Table(where, "queue_files"));
      }
    }
  }
  return Status::OK();
}

Status CheckEvents(store::StoreReader& rows, const std::string& where, DoctorReport* report) {
  int64_t last = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::EventRecord> page, rows.ListEvents(last, kPage));
    for (const store::EventRecord& e : page) {
      if (e.seq != last + 1) {
        std::string missing = e.seq == last + 2 ? "event " + std::to_string(last + 1)
                                                : "events " + std::to_string(last + 1) + "-" + std::to_string(e.seq - 1);
        report->Add("event-gap", Severity::kLost,
                    missing + " missing from the event log (between seq " + std::to_string(last) + " and " +
                        std::to_string(e.seq) + ")",
                    Table(where, "events"));
      }
      last = e.seq;
    }
    report->checked["events"] += static_cast<int64_t>(page.size());
    if (static_cast<int>(page.size()) < kPage) return Status::OK();
  }
}

Status CheckFirings(store::StoreReader& rows, const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::TriggerFiringRecord> claimed, rows.ListFiringsWithStatus(store::kFiringClaimed));
  for (const store::TriggerFiringRecord& f : claimed) {
    report->Add("trigger-firing-claimed", Severity::kWarning,
                "firing " + f.id + " of trigger " + f.trigger + " (" + f.identity +
                    ") was claimed but not completed; the next server start re-drives it",
                Table(where, "trigger_firings"));
  }
  return Status::OK();
}

}  // namespace grove::app
