#pragma once

// The rows of the durable inference queue (store/queue_records.h holds its
// rules): one row per enqueued file, one message per data row of a file, and
// one prediction per message that was answered.

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"

namespace grove::store {

// Message states: waiting or leased (kQueued), answered (kDone), dead-lettered (kDead).
inline constexpr const char* kMessageQueued = "queued";
inline constexpr const char* kMessageDone = "done";
inline constexpr const char* kMessageDead = "dead";

// File states: rows still unanswered (kFileQueued), every row recorded but the
// file not yet moved (kFileRecorded), moved to its processed path (kFileMoved).
inline constexpr const char* kFileQueued = "queued";
inline constexpr const char* kFileRecorded = "recorded";
inline constexpr const char* kFileMoved = "moved";

// One enqueued file, keyed by its identity (path and content digest), so that
// enqueueing it again changes nothing.
struct QueueFileRecord {
  std::string key;     // SHA-256 of "<absolute path>\n<content digest>".
  std::string path;    // Where it was read.
  std::string digest;  // SHA-256 of its bytes.
  std::string processed_path;  // Where it moves once every row is recorded.
  std::vector<std::string> columns;  // The header's names, as read.
  std::string dimension;
  std::string endpoint;
  std::string model;
  std::string ground_truth_column;  // Empty: the default rule (queue_records.h).
  int64_t rows = 0;
  std::string state = kFileQueued;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// One data row of a file on its way to a model.
struct QueueMessageRecord {
  int64_t id = 0;  // Assigned on insert, growing.
  std::string file_key;
  std::string source_file;
  int64_t row_number = 0;  // 1-based among the file's data rows (the header is not a row).
  std::string dimension;
  std::string endpoint;
  std::string model;
  std::string line;  // The row's cells, as one CSV line.
  std::string state = kMessageQueued;
  int attempts = 0;      // Failed attempts so far.
  int max_attempts = 2;  // Dead-lettered when attempts reach it.
  int deliveries = 0;    // Times leased, whatever became of the lease.
  TimeMs visible_at = 0; // Leasable from then on (while queued).
  int64_t lease = 0;     // The current lease's token; 0 when none.
  std::string last_error;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// The answer recorded for one message (at most one per message).
struct PredictionRecord {
  int64_t seq = 0;  // Assigned on insert, growing: the listing order.
  std::string id;   // uuid4.
  int64_t message_id = 0;
  std::string dimension;
  std::string model_key;  // "group/N" that answered.
  std::string source_file;
  int64_t row_number = 0;
  int prediction = 0;        // The label: 0/1 for a binary model (probability >= 0.5).
  double probability = 0;    // P(prediction's class).
  std::string ground_truth;  // The cell as read; empty when the row had none.
  // Which cell of the row is the ground truth (-1: none); written by the worker.
  int ground_truth_index = -1;
  // Read only: JSON object text, feature name -> value: the message's row
  // without the ground truth, named by its file's columns.
  std::string features;
  TimeMs created_at = 0;
};

}  // namespace grove::store
