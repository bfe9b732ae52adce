#pragma once

// The rules of the durable inference queue, written once over every backend's
// rows (store/queue_rows.h). Each function runs inside the caller's transaction.
//
//  - Enqueueing a file is idempotent: its rows and the file's row (keyed by
//    its path and content digest) are written in one transaction, and a file
//    whose key is stored enqueues nothing.
//  - A lease makes a queued message invisible until now + visibility; a lease
//    that is neither settled nor deferred before then lapses and the message is
//    delivered again (redelivery). A lapsed lease is not a failed attempt: a
//    batch lost with a crashed worker says nothing about its messages.
//  - Settling a lease records each answered message's prediction (at most one
//    per message: its id is the key) and marks it done; a failure counts an
//    attempt and dead-letters the message once attempts reach its
//    max_attempts; a deferral (the model is not live yet) makes it visible
//    again later without counting an attempt. A failure or deferral applies
//    only while the caller still holds the message's lease.
//  - A file is recorded once every one of its messages is done; dead letters
//    keep it waiting until they are replayed and answered.
//  - Replay puts dead letters back in the queue with no failed attempts.

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/store_transaction.h"

namespace grove::store {

// Stores `file` (state queued) and one message per line of `lines` (row
// numbers 1, 2, ...) visible from `now`, each dead-lettered after
// `max_attempts` failed attempts (at least 1). Returns how many messages were
// enqueued: 0 when the file's key is already stored.
Result<int> EnqueueFileRows(StoreTransaction& txn, const QueueFileRecord& file, const std::vector<std::string>& lines,
                            int max_attempts, TimeMs now);

// Leases at most `limit` visible messages (oldest first) until
// now + `visibility_ms` under the token `lease` (not 0), counting a delivery of each.
Result<std::vector<QueueMessageRecord>> LeaseMessages(StoreTransaction& txn, int limit, TimeMs now,
                                                      TimeMs visibility_ms, int64_t lease);

// What became of one lease's messages.
struct LeaseOutcome {
  int64_t lease = 0;
  // Answered: one prediction each, naming its message.
  std::vector<PredictionRecord> predictions;
  // Failed: message id -> what went wrong (a failed attempt).
  std::map<int64_t, std::string> failures;
  // Not answerable yet (no live model): message id -> why; visible again at defer_until.
  std::map<int64_t, std::string> deferrals;
  TimeMs defer_until = 0;
  // When a failed message that has attempts left is visible again.
  TimeMs retry_at = 0;
};

// What settling changed.
struct SettleResult {
  int recorded = 0;      // Predictions written (a message already answered is skipped).
  int failed = 0;        // Failed attempts counted.
  int dead = 0;          // Of them, messages dead-lettered.
  int deferred = 0;
  // Files that became recorded by this settlement (to be moved to processed_path).
  std::vector<QueueFileRecord> recorded_files;
};

// Applies `outcome` (see the header comment).
Result<SettleResult> SettleLease(StoreTransaction& txn, const LeaseOutcome& outcome, TimeMs now);

// Marks a recorded file moved to its processed path.
Status MarkFileMoved(StoreTransaction& txn, const std::string& key, TimeMs now);

// NotFound "no queue message 7 (messages 1-40)" when unknown.
Result<QueueMessageRecord> RequireQueueMessage(StoreReader& rows, int64_t id);

// Puts dead message `id` back in the queue, visible at `now`, with no failed
// attempts. FailedPrecondition when it is not dead.
Result<QueueMessageRecord> ReplayMessage(StoreTransaction& txn, int64_t id, TimeMs now);
// The same for every dead message; returns how many.
Result<int> ReplayAllDead(StoreTransaction& txn, TimeMs now);

// The number of messages in each state: queued, done and dead, each present.
Result<std::map<std::string, int64_t>> CountQueueStates(StoreReader& rows);

}  // namespace grove::store
