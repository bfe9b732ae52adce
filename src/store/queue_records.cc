#include "store/queue_records.h"

#include <set>

namespace grove::store {

namespace {

// The message `id` when it is queued under `lease`; nullopt otherwise (the
// lease lapsed and another worker may hold it, or it was settled).
Result<std::optional<QueueMessageRecord>> LeasedMessage(StoreTransaction& txn, int64_t id, int64_t lease) {
  ASSIGN_OR_RETURN(std::optional<QueueMessageRecord> m, txn.FindQueueMessage(id));
  if (!m || m->state != kMessageQueued || m->lease != lease) return std::optional<QueueMessageRecord>();
  return m;
}

// Files among `keys` that are still queued and whose every message is done: now recorded.
Result<std::vector<QueueFileRecord>> RecordFinishedFiles(StoreTransaction& txn, const std::set<std::string>& keys,
                                                         TimeMs now) {
  std::vector<QueueFileRecord> finished;
  for (const std::string& key : keys) {
    ASSIGN_OR_RETURN(std::optional<QueueFileRecord> file, txn.FindQueueFile(key));
    if (!file || file->state != kFileQueued) continue;
    ASSIGN_OR_RETURN(auto counts, txn.CountQueueMessages(key));
    if (counts.count(kMessageQueued) > 0 || counts.count(kMessageDead) > 0) continue;
    RETURN_IF_ERROR(txn.UpdateQueueFileState(key, kFileRecorded, now));
    file->state = kFileRecorded;
    file->updated_at = now;
    finished.push_back(std::move(*file));
  }
  return finished;
}

}  // namespace

Result<int> EnqueueFileRows(StoreTransaction& txn, const QueueFileRecord& file, const std::vector<std::string>& lines,
                            int max_attempts, TimeMs now) {
  if (max_attempts < 1) {
    return Status::InvalidArgument("max attempts " + std::to_string(max_attempts) + ": must be at least 1");
  }
  ASSIGN_OR_RETURN(std::optional<QueueFileRecord> known, txn.FindQueueFile(file.key));
  if (known) return 0;
  QueueFileRecord stored = file;
  stored.rows = static_cast<int64_t>(lines.size());
  stored.state = lines.empty() ? kFileRecorded : kFileQueued;
  stored.created_at = stored.updated_at = now;
  RETURN_IF_ERROR(txn.InsertQueueFile(stored));
  QueueMessageRecord m;
  m.file_key = file.key;
  m.source_file = file.path;
  m.dimension = file.dimension;
  m.endpoint = file.endpoint;
  m.model = file.model;
  m.max_attempts = max_attempts;
  m.visible_at = m.created_at = m.updated_at = now;
  for (size_t i = 0; i < lines.size(); ++i) {
    m.row_number = static_cast<int64_t>(i + 1);
    m.line = lines[i];
    RETURN_IF_ERROR(txn.InsertQueueMessage(m).status());
  }
  return static_cast<int>(lines.size());
}

Result<std::vector<QueueMessageRecord>> LeaseMessages(StoreTransaction& txn, int limit, TimeMs now,
                                                      TimeMs visibility_ms, int64_t lease) {
  if (lease == 0) return Status::InvalidArgument("a lease token must not be 0");
  if (limit <= 0) return std::vector<QueueMessageRecord>();
  ASSIGN_OR_RETURN(std::vector<QueueMessageRecord> messages, txn.ListVisibleQueueMessages(now, limit));
  for (QueueMessageRecord& m : messages) {
    m.lease = lease;
    m.visible_at = now + visibility_ms;
    m.deliveries += 1;
    m.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateQueueMessage(m));
  }
  return messages;
}

Result<SettleResult> SettleLease(StoreTransaction& txn, const LeaseOutcome& outcome, TimeMs now) {
  SettleResult result;
  std::set<std::string> touched;
  for (const PredictionRecord& p : outcome.predictions) {
    ASSIGN_OR_RETURN(std::optional<QueueMessageRecord> m, txn.FindQueueMessage(p.message_id));
    if (!m) return Status::NotFound("no queue message " + std::to_string(p.message_id) + " to record");
    // Recorded once, by whichever delivery settles first; a later one only acknowledges.
    ASSIGN_OR_RETURN(bool inserted, txn.InsertPrediction(p));
    result.recorded += inserted ? 1 : 0;
    if (m->state == kMessageDone) continue;
    m->state = kMessageDone;
    m->lease = 0;
    m->last_error.clear();
    m->updated_at = now;
    RETURN_IF_ERROR(txn.UpdateQueueMessage(*m));
    touched.insert(m->file_key);
  }
  for (const auto& [id, error] : outcome.failures) {
    ASSIGN_OR_RETURN(std::optional<QueueMessageRecord> m, LeasedMessage(txn, id, outcome.lease));
    if (!m) continue;
    m->attempts += 1;
    m->last_error = error;
    m->lease = 0;
    m->updated_at = now;
    m->visible_at = outcome.retry_at;
    if (m->attempts >= m->max_attempts) {
      m->state = kMessageDead;
      result.dead += 1;
    }
    result.failed += 1;
    RETURN_IF_ERROR(txn.UpdateQueueMessage(*m));
  }
  for (const auto& [id, why] : outcome.deferrals) {
    ASSIGN_OR_RETURN(std::optional<QueueMessageRecord> m, LeasedMessage(txn, id, outcome.lease));
    if (!m) continue;
    m->lease = 0;
    m->last_error = why;
    m->visible_at = outcome.defer_until;
    m->updated_at = now;
    result.deferred += 1;
    RETURN_IF_ERROR(txn.UpdateQueueMessage(*m));
  }
  ASSIGN_OR_RETURN(result.recorded_files, RecordFinishedFiles(txn, touched, now));
  return result;
}

Status MarkFileMoved(StoreTransaction& txn, const std::string& key, TimeMs now) {
  ASSIGN_OR_RETURN(std::optional<QueueFileRecord> file, txn.FindQueueFile(key));
  if (!file) return Status::NotFound("no queued file with key " + key);
  return txn.UpdateQueueFileState(key, kFileMoved, now);
}

Result<QueueMessageRecord> RequireQueueMessage(StoreReader& rows, int64_t id) {
  ASSIGN_OR_RETURN(std::optional<QueueMessageRecord> m, rows.FindQueueMessage(id));
  if (m) return *m;
  ASSIGN_OR_RETURN(std::vector<QueueMessageRecord> first, rows.ListQueueMessages("", 0, 1));
  if (first.empty()) return Status::NotFound("no queue message " + std::to_string(id) + " (the queue is empty)");
  return Status::NotFound("no queue message " + std::to_string(id) + " (ids start at " +
                          std::to_string(first.front().id) + "; grove queue list shows them)");
}

Result<QueueMessageRecord> ReplayMessage(StoreTransaction& txn, int64_t id, TimeMs now) {
  ASSIGN_OR_RETURN(QueueMessageRecord m, RequireQueueMessage(txn, id));
  if (m.state != kMessageDead) {
    return Status::FailedPrecondition("queue message " + std::to_string(id) + " is " + m.state +
                                      ", not dead: only dead letters are replayed");
  }
  m.state = kMessageQueued;
  m.attempts = 0;
  m.lease = 0;
  m.visible_at = now;
  m.updated_at = now;
  RETURN_IF_ERROR(txn.UpdateQueueMessage(m));
  return m;
}

Result<int> ReplayAllDead(StoreTransaction& txn, TimeMs now) {
  ASSIGN_OR_RETURN(std::vector<QueueMessageRecord> dead, txn.ListQueueMessages(kMessageDead, 0, 0));
  for (QueueMessageRecord& m : dead) {
    m.state = kMessageQueued;
    m.attempts = 0;
    m.lease = 0;
    m.visible_at = now;
    m.updated_at = now;
    RETURN_IF_ERROR(txn.UpdateQueueMessage(m));
  }
  return static_cast<int>(dead.size());
}

Result<std::map<std::string, int64_t>> CountQueueStates(StoreReader& rows) {
  ASSIGN_OR_RETURN(auto counts, rows.CountQueueMessages(""));
  for (const char* state : {kMessageQueued, kMessageDone, kMessageDead}) counts.emplace(state, 0);
  return counts;
}

}  // namespace grove::store
