#include "store/queue_table.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

#include "common/csv_line.h"

namespace grove::store {

namespace {

#define GROVE_FILE_COLUMNS                                                                                     \
  "SELECT key, path, digest, processed_path, columns, dimension, endpoint, model, ground_truth_column, rows, " \
  "state, created_at, updated_at FROM queue_files "
constexpr const char* kSelectFile = GROVE_FILE_COLUMNS "WHERE key = ?";
constexpr const char* kSelectFilesInState = GROVE_FILE_COLUMNS "WHERE state = ? ORDER BY created_at, key";
#undef GROVE_FILE_COLUMNS

#define GROVE_MESSAGE_COLUMNS                                                                                  \
  "SELECT m.id, m.file_key, m.source_file, m.row_number, m.dimension, m.endpoint, m.model, l.line, m.state, "   \
  "m.attempts, m.max_attempts, m.deliveries, m.visible_at, m.lease, m.last_error, m.created_at, m.updated_at "  \
  "FROM queue_messages m JOIN queue_lines l ON l.id = m.id "
constexpr const char* kSelectMessage = GROVE_MESSAGE_COLUMNS "WHERE m.id = ?";
constexpr const char* kSelectMessages =
    GROVE_MESSAGE_COLUMNS "WHERE (? = '' OR m.state = ?) AND m.id > ? ORDER BY m.id LIMIT ?";
// Answered from the (state, visible_at) index.
#define GROVE_SELECT_VISIBLE \
  GROVE_MESSAGE_COLUMNS "WHERE m.state = 'queued' AND m.visible_at <= ? ORDER BY m.visible_at, m.id LIMIT ?"
constexpr const char* kSelectVisible = GROVE_SELECT_VISIBLE;
// Where rows can be locked: each claimer takes rows no other open transaction holds, without waiting.
constexpr const char* kClaimVisible = GROVE_SELECT_VISIBLE " FOR UPDATE OF m SKIP LOCKED";
#undef GROVE_SELECT_VISIBLE
#undef GROVE_MESSAGE_COLUMNS

// A prediction's features are its message's row, named by its file's columns.
#define GROVE_PREDICTION_COLUMNS                                                                                   \
  "SELECT p.seq, p.id, p.message_id, p.dimension, p.model_key, p.source_file, p.row_number, p.prediction, "        \
  "p.probability, p.ground_truth, p.ground_truth_index, p.created_at, l.line, f.columns FROM predictions p "      \
  "JOIN queue_lines l ON l.id = p.message_id JOIN queue_messages m ON m.id = p.message_id "                        \
  "JOIN queue_files f ON f.key = m.file_key "
constexpr const char* kSelectPredictions =
    GROVE_PREDICTION_COLUMNS "WHERE (? = '' OR p.dimension = ?) AND p.seq > ? ORDER BY p.seq LIMIT ?";
constexpr const char* kSelectPredictionsOfDimension =
    GROVE_PREDICTION_COLUMNS "WHERE p.dimension = ? AND p.seq > ? ORDER BY p.seq LIMIT ?";
constexpr const char* kSelectPredictionOfMessage = GROVE_PREDICTION_COLUMNS "WHERE p.message_id = ?";
#undef GROVE_PREDICTION_COLUMNS

std::vector<std::string> Strings(const Json& json) {
  std::vector<std::string> out;
  if (!json.is_array()) return out;
  for (const Json& item : json) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

QueueFileRecord FileFromRow(const Statement& row) {
  QueueFileRecord f;
  f.key = row.Text(0);
  f.path = row.Text(1);
  f.digest = row.Text(2);
  f.processed_path = row.Text(3);
  f.columns = Strings(row.JsonValue(4));
  f.dimension = row.Text(5);
  f.endpoint = row.Text(6);
  f.model = row.Text(7);
  f.ground_truth_column = row.Text(8);
  f.rows = row.Int64(9);
  f.state = row.Text(10);
  f.created_at = row.Int64(11);
  f.updated_at = row.Int64(12);
  return f;
}

QueueMessageRecord MessageFromRow(const Statement& row) {
  QueueMessageRecord m;
  m.id = row.Int64(0);
  m.file_key = row.Text(1);
  m.source_file = row.Text(2);
  m.row_number = row.Int64(3);
  m.dimension = row.Text(4);
  m.endpoint = row.Text(5);
  m.model = row.Text(6);
  m.line = row.Text(7);
  m.state = row.Text(8);
  m.attempts = row.Int(9);
  m.max_attempts = row.Int(10);
  m.deliveries = row.Int(11);
  m.visible_at = row.Int64(12);
  m.lease = row.Int64(13);
  m.last_error = row.Text(14);
  m.created_at = row.Int64(15);
  m.updated_at = row.Int64(16);
  return m;
}

// {"name": value, ...} of a row's cells but the ground truth: numbers as numbers, empty cells as null, other
// cells as strings.
std::string FeaturesJson(std::string_view line, const std::vector<std::string>& columns, int ground_truth) {
  std::vector<std::string> cells;
  SplitCsvLine(line, &cells);  // Checked when the row was enqueued.
  Json out = Json::object();
  for (size_t c = 0; c < cells.size() && c < columns.size(); ++c) {
    if (static_cast<int>(c) == ground_truth) continue;
    const std::string& cell = cells[c];
    char* end = nullptr;
    double v = cell.empty() ? 0 : std::strtod(cell.c_str(), &end);
    if (cell.empty()) {
      out[columns[c]] = nullptr;
    } else if (end == cell.c_str() + cell.size() && std::isfinite(v)) {
      if (v == std::floor(v) && std::fabs(v) < 9e15) {
        out[columns[c]] = static_cast<int64_t>(v);
      } else {
        out[columns[c]] = v;
      }
    } else {
      out[columns[c]] = cell;
    }
  }
  return out.dump();
}

PredictionRecord PredictionFromRow(const Statement& row) {
  PredictionRecord p;
  p.seq = row.Int64(0);
  p.id = row.Text(1);
  p.message_id = row.Int64(2);
  p.dimension = row.Text(3);
  p.model_key = row.Text(4);
  p.source_file = row.Text(5);
  p.row_number = row.Int64(6);
  p.prediction = row.Int(7);
  p.probability = row.Double(8);
  p.ground_truth = row.Text(9);
  p.ground_truth_index = row.Int(10);
  p.created_at = row.Int64(11);
  // Consecutive predictions mostly share a file: parse its column names once per run of them.
  thread_local std::string columns_text;
  thread_local std::vector<std::string> columns;
  if (std::string text = row.Text(13); text != columns_text) {
    columns = Strings(Json::parse(text, nullptr, /*allow_exceptions=*/false));
    columns_text = std::move(text);
  }
  p.features = FeaturesJson(row.Text(12), columns, p.ground_truth_index);
  return p;
}

}  // namespace

Result<std::optional<QueueFileRecord>> QueueTable::FindFile(const std::string& key) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectFile));
  select.BindAll(key);
  return FirstRow(select, FileFromRow);
}

Result<std::vector<QueueFileRecord>> QueueTable::ListFiles(const std::string& state) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectFilesInState));
  select.BindAll(state);
  return CollectRows(select, FileFromRow);
}

Status QueueTable::InsertFile(const QueueFileRecord& f) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO queue_files (key, path, digest, processed_path, columns, dimension, "
                                "endpoint, model, ground_truth_column, rows, state, created_at, updated_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  Json columns = Json::array();
  for (const std::string& c : f.columns) columns.push_back(c);
  return insert
      .BindAll(f.key, f.path, f.digest, f.processed_path, columns, f.dimension, f.endpoint, f.model,
               f.ground_truth_column, f.rows, f.state, f.created_at, f.updated_at)
      .Run();
}

Status QueueTable::UpdateFileState(const std::string& key, const std::string& state, TimeMs updated_at) {
  ASSIGN_OR_RETURN(Statement update, db_->Prepare("UPDATE queue_files SET state = ?, updated_at = ? WHERE key = ?"));
  return update.BindAll(state, updated_at, key).Run();
}

Result<std::optional<QueueMessageRecord>> QueueTable::FindMessage(int64_t id) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectMessage));
  select.BindAll(id);
  return FirstRow(select, MessageFromRow);
}

Result<std::vector<QueueMessageRecord>> QueueTable::ListMessages(const std::string& state, int64_t after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectMessages));
  select.BindAll(state, state, after, SqlLimit(limit));
  return CollectRows(select, MessageFromRow);
}

Result<std::vector<QueueMessageRecord>> QueueTable::ListVisible(TimeMs now, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(db_->locks_rows() ? kClaimVisible : kSelectVisible));
  select.BindAll(now, SqlLimit(limit));
  return CollectRows(select, MessageFromRow, limit > 0 ? static_cast<size_t>(limit) : 0);
}

Result<std::map<std::string, int64_t>> QueueTable::CountMessages(const std::string& file_key) {
  ASSIGN_OR_RETURN(Statement select,
                   db_->Prepare(file_key.empty()
                                    ? "SELECT state, COUNT(*) FROM queue_messages GROUP BY state"
                                    : "SELECT state, COUNT(*) FROM queue_messages WHERE file_key = ? GROUP BY state"));
  if (!file_key.empty()) select.BindAll(file_key);
  std::map<std::string, int64_t> counts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return counts;
    counts[select.Text(0)] = select.Int64(1);
  }
}

Result<int64_t> QueueTable::InsertMessage(const QueueMessageRecord& m) {
  int64_t id = 0;
  {
    ASSIGN_OR_RETURN(Statement insert,
                     db_->Prepare("INSERT INTO queue_messages (file_key, source_file, row_number, dimension, "
                                  "endpoint, model, state, attempts, max_attempts, deliveries, visible_at, lease, "
                                  "last_error, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.BindAll(m.file_key, m.source_file, m.row_number, m.dimension, m.endpoint, m.model, m.state, m.attempts,
                   m.max_attempts, m.deliveries, m.visible_at, m.lease, m.last_error, m.created_at, m.updated_at);
    ASSIGN_OR_RETURN(bool row, insert.Step());
    if (!row) return Status::Internal("inserting a queue message returned no id");
    id = insert.Int64(0);
    ASSIGN_OR_RETURN(bool more, insert.Step());
    (void)more;
  }
  ASSIGN_OR_RETURN(Statement line, db_->Prepare("INSERT INTO queue_lines (id, line) VALUES (?, ?)"));
  RETURN_IF_ERROR(line.BindAll(id, m.line).Run());
  return id;
}

Status QueueTable::UpdateMessage(const QueueMessageRecord& m) {
  ASSIGN_OR_RETURN(Statement update,
                   db_->Prepare("UPDATE queue_messages SET state = ?, attempts = ?, max_attempts = ?, deliveries = ?, "
                                "visible_at = ?, lease = ?, last_error = ?, updated_at = ? WHERE id = ?"));
  return update
      .BindAll(m.state, m.attempts, m.max_attempts, m.deliveries, m.visible_at, m.lease, m.last_error, m.updated_at,
               m.id)
      .Run();
}

Result<std::vector<PredictionRecord>> QueueTable::ListPredictions(const std::string& dimension, int64_t after,
                                                                  int limit) {
  // Two statements so that each is answered from its own index.
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(dimension.empty() ? kSelectPredictions
                                                                    : kSelectPredictionsOfDimension));
  if (dimension.empty()) {
    select.BindAll(dimension, dimension, after, SqlLimit(limit));
  } else {
    select.BindAll(dimension, after, SqlLimit(limit));
  }
  return CollectRows(select, PredictionFromRow);
}

Result<std::optional<PredictionRecord>> QueueTable::FindPredictionOfMessage(int64_t message_id) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectPredictionOfMessage));
  select.BindAll(message_id);
  return FirstRow(select, PredictionFromRow);
}

Result<bool> QueueTable::InsertPrediction(const PredictionRecord& p) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO predictions (id, message_id, dimension, model_key, source_file, "
                                "row_number, prediction, probability, ground_truth, ground_truth_index, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING"));
  RETURN_IF_ERROR(insert
                      .BindAll(p.id, p.message_id, p.dimension, p.model_key, p.source_file, p.row_number,
                               p.prediction, p.probability, p.ground_truth, p.ground_truth_index, p.created_at)
                      .Run());
  return insert.Changes() > 0;
}

}  // namespace grove::store
