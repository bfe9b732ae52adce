#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/queue_rows.h"
#include "store/sql_connection.h"

namespace grove::store {

// The tables of the inference queue: `queue_files`, `queue_messages` and
// `predictions`. Rows only (the rules are store/queue_records.h's).
// REQUIRES: every method runs inside a transaction of `db` (changes in Write).
class QueueTable {
 public:
  explicit QueueTable(SqlConnection* db) : db_(db) {}

  // See StoreReader / StoreTransaction for each.
  Result<std::optional<QueueFileRecord>> FindFile(const std::string& key);
  Result<std::vector<QueueFileRecord>> ListFiles(const std::string& state);
  Status InsertFile(const QueueFileRecord& file);
  Status UpdateFileState(const std::string& key, const std::string& state, TimeMs updated_at);

  Result<std::optional<QueueMessageRecord>> FindMessage(int64_t id);
  Result<std::vector<QueueMessageRecord>> ListMessages(const std::string& state, int64_t after, int limit);
  Result<std::vector<QueueMessageRecord>> ListVisible(TimeMs now, int limit);
  Result<std::map<std::string, int64_t>> CountMessages(const std::string& file_key);
  Result<int64_t> InsertMessage(const QueueMessageRecord& message);
  Status UpdateMessage(const QueueMessageRecord& message);

  Result<std::vector<PredictionRecord>> ListPredictions(const std::string& dimension, int64_t after, int limit);
  Result<std::optional<PredictionRecord>> FindPredictionOfMessage(int64_t message_id);
  Result<bool> InsertPrediction(const PredictionRecord& prediction);

 private:
  SqlConnection* db_;
};

}  // namespace grove::store
