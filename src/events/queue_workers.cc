#include "events/queue_workers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <random>

#include "common/csv_line.h"

namespace grove::events {

namespace {

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 random{(static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()};
  return random;
}

// The file's ground-truth column index and whether its rows are raw, for a
// model of `shape`; or an error naming the file.
struct Layout {
  int ground_truth = -1;  // -1: none.
  bool raw = false;
  size_t cols = 0;  // Cells per row the model gets.
};

Result<Layout> LayoutOf(const store::QueueFileRecord& file, const ModelShape& shape, const std::string& model) {
  Layout layout;
  const size_t width = file.columns.size();
  if (!file.ground_truth_column.empty()) {
    auto at = std::find(file.columns.begin(), file.columns.end(), file.ground_truth_column);
    if (at == file.columns.end()) {
      return Status::InvalidArgument(file.path + ": no ground-truth column '" + file.ground_truth_column +
                                     "' in its header");
    }
    layout.ground_truth = static_cast<int>(at - file.columns.begin());
  } else if (width == shape.features + 1 || (shape.raw_columns > 0 && width == shape.raw_columns + 1)) {
    layout.ground_truth = 0;  // The default rule: one more column than the model takes is a label, first.
  }
  layout.cols = width - (layout.ground_truth >= 0 ? 1 : 0);
  if (layout.cols == shape.features) return layout;
  if (shape.raw_columns > 0 && layout.cols == shape.raw_columns) {
    layout.raw = true;
    return layout;
  }
  std::string takes = std::to_string(shape.features) + " features";
  if (shape.raw_columns > 0) takes += " or " + std::to_string(shape.raw_columns) + " raw columns";
  return Status::InvalidArgument(file.path + ": rows have " + std::to_string(layout.cols) +
                                 " values besides the ground truth; model " + model + " takes " + takes);
}

}  // namespace

std::string NewUuid4() {
  uint64_t hi = ThreadRandom()();
  uint64_t lo = ThreadRandom()();
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};                   // Version 4.
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);          // Variant 10.
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return text;
}

QueueWorkers::QueueWorkers(store::MetadataStore* store, BatchInvoker* invoker, const Clock* clock,
                           QueueWorkerOptions options)
    : store_(store), invoker_(invoker), clock_(clock), options_(options) {}

QueueWorkers::~QueueWorkers() { Stop(); }

Result<store::QueueFileRecord> QueueWorkers::File(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(files_mutex_);
    auto found = files_.find(key);
    if (found != files_.end()) return found->second;
  }
  ASSIGN_OR_RETURN(std::optional<store::QueueFileRecord> file,
                   store::ReadValue(*store_, [&](store::StoreReader& rows) { return rows.FindQueueFile(key); }));
  if (!file) return Status::NotFound("no queued file with key " + key);
  std::lock_guard<std::mutex> lock(files_mutex_);
  return files_.emplace(key, *file).first->second;
}

void QueueWorkers::Answer(const store::QueueFileRecord& file,
                          const std::vector<const store::QueueMessageRecord*>& messages, TimeMs now,
                          store::LeaseOutcome* outcome) {
  auto fail_all = [&](const Status& s) {
    for (const auto* m : messages) outcome->failures[m->id] = s.message();
  };
  auto defer_all = [&](const Status& s) {
    for (const auto* m : messages) outcome->deferrals[m->id] = "waiting for a live model: " + s.message();
  };
  Result<ModelShape> shape = invoker_->Shape(file.endpoint, file.model);
  if (!shape.ok()) return shape.status().code() == StatusCode::kNotFound ? defer_all(shape.status())
                                                                         : fail_all(shape.status());
  Result<Layout> layout = LayoutOf(file, *shape, file.model);
  if (!layout.ok()) return fail_all(layout.status());

  InferenceRows rows;
  rows.raw = layout->raw;
  rows.cols = layout->cols;
  std::vector<const store::QueueMessageRecord*> good;
  std::vector<std::string> ground_truths;
  std::vector<std::string> cells;
  for (const auto* m : messages) {
    std::string where = file.path + " row " + std::to_string(m->row_number);
    if (!SplitCsvLine(m->line, &cells)) {
      outcome->failures[m->id] = where + ": a quoted value is not closed";
      continue;
    }
    if (cells.size() != file.columns.size()) {
      outcome->failures[m->id] = where + ": " + std::to_string(cells.size()) + " values, the header has " +
                                 std::to_string(file.columns.size());
      continue;
    }
    size_t mark = rows.raw ? rows.cells.size() : rows.features.size();
    std::string bad;
    for (size_t c = 0; c < cells.size() && bad.empty(); ++c) {
      if (static_cast<int>(c) == layout->ground_truth) continue;
      if (rows.raw) {
        rows.cells.push_back(cells[c]);
        continue;
      }
      if (cells[c].empty()) {
        rows.features.push_back(std::nanf(""));
        continue;
      }
      float value = 0;
      const std::string& text = cells[c];
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size()) {
        bad = where + " column " + std::to_string(c + 1) + " ('" + file.columns[c] + "'): '" + text +
              "' is not a number";
      } else {
        rows.features.push_back(value);
      }
    }
    if (!bad.empty()) {
      rows.features.resize(mark);
      outcome->failures[m->id] = bad;
      continue;
    }
    ground_truths.push_back(layout->ground_truth >= 0 ? cells[static_cast<size_t>(layout->ground_truth)] : "");
    good.push_back(m);
  }
  if (good.empty()) return;
  rows.rows = good.size();
  Result<InferenceAnswer> answer = invoker_->Predict(file.endpoint, file.model, rows);
  if (!answer.ok()) {
    auto& target = answer.status().code() == StatusCode::kNotFound ? outcome->deferrals : outcome->failures;
    for (const auto* m : good) target[m->id] = answer.status().message();
    return;
  }
  const size_t per_row = std::max<size_t>(answer->per_row, 1);
  if (answer->values.size() != good.size() * per_row) {
    for (const auto* m : good) outcome->failures[m->id] = "the model answered a different number of rows";
    return;
  }
  for (size_t r = 0; r < good.size(); ++r) {
    const auto* m = good[r];
    store::PredictionRecord p;
    p.id = NewUuid4();
    p.message_id = m->id;
    p.dimension = m->dimension;
    p.model_key = answer->model_key;
    p.source_file = m->source_file;
    p.row_number = m->row_number;
    const double* values = answer->values.data() + r * per_row;
    if (per_row == 1) {
      p.probability = values[0];
      p.prediction = values[0] >= 0.5 ? 1 : 0;
    } else {
      const double* best = std::max_element(values, values + per_row);
      p.prediction = static_cast<int>(best - values);
      p.probability = *best;
    }
    p.ground_truth = ground_truths[r];
    p.ground_truth_index = layout->ground_truth;  // The features are the message's row, stored once.
    p.created_at = now;
    outcome->predictions.push_back(std::move(p));
  }
}

Status QueueWorkers::MoveFile(const store::QueueFileRecord& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!file.processed_path.empty() && fs::exists(file.path, ec)) {
    fs::create_directories(fs::path(file.processed_path).parent_path(), ec);
    fs::rename(file.path, file.processed_path, ec);
    if (ec) {
      return Status::IOError("cannot move " + file.path + " to " + file.processed_path + ": " + ec.message());
    }
  }
  return store_->Transact(
      [&](store::StoreTransaction& txn) { return store::MarkFileMoved(txn, file.key, clock_->Now()); });
}

Result<int> QueueWorkers::MoveRecordedFiles() {
  ASSIGN_OR_RETURN(std::vector<store::QueueFileRecord> files,
                   store::ReadValue(*store_, [](store::StoreReader& rows) {
                     return rows.ListQueueFiles(store::kFileRecorded);
                   }));
  for (const store::QueueFileRecord& file : files) RETURN_IF_ERROR(MoveFile(file));
  return static_cast<int>(files.size());
}

Result<RoundResult> QueueWorkers::RunOnce() {
  RoundResult round;
  int64_t lease = static_cast<int64_t>(ThreadRandom()() >> 1) | 1;
  const TimeMs leased_at = clock_->Now();
  // Claimed beside other writers where the store locks rows (PostgreSQL: several servers lease at once).
  std::vector<store::QueueMessageRecord> messages;
  RETURN_IF_ERROR(store_->TransactClaims([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(messages, store::LeaseMessages(txn, options_.batch, leased_at, options_.visibility_ms, lease));
    return Status::OK();
  }));
  round.leased = static_cast<int>(messages.size());
  if (messages.empty()) return round;

  std::map<std::string, std::vector<const store::QueueMessageRecord*>> by_file;
  for (const store::QueueMessageRecord& m : messages) by_file[m.file_key].push_back(&m);
  const TimeMs now = clock_->Now();
  store::LeaseOutcome outcome;
  outcome.lease = lease;
  outcome.defer_until = now + options_.not_live_delay_ms;
  outcome.retry_at = now + options_.retry_delay_ms;
  outcome.predictions.reserve(messages.size());
  for (const auto& [key, group] : by_file) {
    Result<store::QueueFileRecord> file = File(key);
    if (!file.ok()) {
      for (const auto* m : group) outcome.failures[m->id] = file.status().message();
      continue;
    }
    Answer(*file, group, now, &outcome);
  }
  ASSIGN_OR_RETURN(store::SettleResult settled, store::TransactValue(*store_, [&](store::StoreTransaction& txn) {
                     return store::SettleLease(txn, outcome, clock_->Now());
                   }));
  round.recorded = settled.recorded;
  round.failed = settled.failed;
  round.deferred = settled.deferred;
  for (const store::QueueFileRecord& file : settled.recorded_files) {
    RETURN_IF_ERROR(MoveFile(file));
    round.files_moved += 1;
  }
  return round;
}

void QueueWorkers::Loop(const std::function<void(const Status&)>& on_error) {
  while (true) {
    {
      std::lock_guard<std::mutex> lock(stop_mutex_);
      if (stopping_) return;
    }
    Result<RoundResult> round = RunOnce();
    if (!round.ok()) on_error(round.status());
    if (!round.ok() || round->leased == 0) {
      std::unique_lock<std::mutex> lock(stop_mutex_);
      stop_cv_.wait_for(lock, options_.poll, [this] { return stopping_; });
    }
  }
}

void QueueWorkers::Start(std::function<void(const Status&)> on_error) {
  if (Result<int> moved = MoveRecordedFiles(); !moved.ok()) on_error(moved.status());
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = false;
  }
  for (int i = 0; i < std::max(options_.workers, 1); ++i) {
    threads_.emplace_back([this, on_error] { Loop(on_error); });
  }
}

void QueueWorkers::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

}  // namespace grove::events
