#include "app/inference_queue.h"

#include <charconv>
#include <cmath>
#include <iostream>
#include <set>

#include "common/csv_line.h"
#include "common/file_util.h"
#include "common/sha256.h"
#include "serving/payload.h"
#include "store/queue_records.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

// The lines of `text` (LF or CRLF; a last line without a newline counts),
// without their line ends; blank lines are skipped.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// A cell as JSON: a number when it is one, null when empty, else text.
Json CellJson(const std::string& cell) {
  if (cell.empty()) return nullptr;
  double value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec == std::errc() && end == cell.data() + cell.size() && std::isfinite(value)) return value;
  return cell;
}

std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvNumber(double value) {
  if (std::isnan(value)) return "";
  char buffer[32];
  auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

}  // namespace

fs::path InferenceQueue::ProcessedDir(const fs::path& file, const fs::path& watch_root) {
  fs::path absolute = fs::absolute(file).lexically_normal();
  if (!watch_root.empty()) {
    fs::path root = fs::absolute(watch_root).lexically_normal();
    fs::path relative = absolute.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != "..") return root / "processed" / relative.parent_path();
  }
  return absolute.parent_path() / "processed";
}

Result<int> InferenceQueue::EnqueueFile(const fs::path& file, const QueueTarget& target,
                                        const fs::path& processed_dir, bool keep_in_place) {
  if (target.dimension.empty()) return Status::InvalidArgument(file.string() + ": no dimension given to enqueue for");
  ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return Status::InvalidArgument(file.string() + ": empty, expected a header line and rows");
  store::QueueFileRecord record;
  record.path = fs::absolute(file).lexically_normal().string();
  record.digest = Sha256::Of(text);
  record.key = Sha256::Of(record.path + "\n" + record.digest);
  fs::path dir = processed_dir.empty() ? ProcessedDir(file) : processed_dir;
  if (!keep_in_place) record.processed_path = (dir / fs::path(record.path).filename()).string();
  if (!SplitCsvLine(lines[0], &record.columns)) {
    return Status::InvalidArgument(file.string() + " line 1 (header): a quoted name is not closed");
  }
  record.dimension = target.dimension;
  record.endpoint = target.endpoint.empty() ? "fleet" : target.endpoint;
  record.model = target.ModelName();
  record.ground_truth_column = target.ground_truth_column;
  std::vector<std::string> rows;
  rows.reserve(lines.size() - 1);
  std::vector<std::string> cells;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (!SplitCsvLine(lines[i], &cells)) {
      return Status::InvalidArgument(file.string() + " line " + std::to_string(i + 1) + ": a quoted value is not closed");
    }
    if (cells.size() != record.columns.size()) {
      return Status::InvalidArgument(file.string() + " line " + std::to_string(i + 1) + ": " +
                                     std::to_string(cells.size()) + " values, the header has " +
                                     std::to_string(record.columns.size()));
    }
    rows.emplace_back(lines[i]);
  }
  const TimeMs now = home_.clock()->Now();
  return store::TransactValue(*home_.metadata(), [&](store::StoreTransaction& txn) {
    return store::EnqueueFileRows(txn, record, rows, target.max_attempts, now);
  });
}

Result<std::vector<store::QueueMessageRecord>> InferenceQueue::List(const std::string& state, QueuePage page) {
  if (!state.empty() && state != store::kMessageQueued && state != store::kMessageDone &&
      state != store::kMessageDead) {
    return Status::InvalidArgument("state '" + state + "': expected queued, done or dead");
  }
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) {
    return rows.ListQueueMessages(state, page.after, page.limit);
  });
}

Result<Json> InferenceQueue::Show(int64_t id) {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) -> Result<Json> {
    ASSIGN_OR_RETURN(store::QueueMessageRecord m, store::RequireQueueMessage(rows, id));
    Json view = ToJson(m);
    ASSIGN_OR_RETURN(std::optional<store::PredictionRecord> p, rows.FindPredictionOfMessage(id));
    if (p) view["prediction"] = ToJson(*p);
    return view;
  });
}

Result<Json> InferenceQueue::Summary() {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) -> Result<Json> {
    ASSIGN_OR_RETURN(auto counts, store::CountQueueStates(rows));
    Json states = Json::object();
    for (const auto& [state, n] : counts) states[state] = n;
    ASSIGN_OR_RETURN(std::vector<store::QueueMessageRecord> dead, rows.ListQueueMessages(store::kMessageDead, 0, 100));
    Json letters = Json::array();
    for (const store::QueueMessageRecord& m : dead) letters.push_back(ToJson(m));
    return Json{{"counts", states}, {"dead_letters", letters}};
  });
}

Result<store::QueueMessageRecord> InferenceQueue::Replay(int64_t id) {
  const TimeMs now = home_.clock()->Now();
  return store::TransactValue(*home_.metadata(),
                              [&](store::StoreTransaction& txn) { return store::ReplayMessage(txn, id, now); });
}

Result<int> InferenceQueue::ReplayAllDead() {
  const TimeMs now = home_.clock()->Now();
  return store::TransactValue(*home_.metadata(),
                              [&](store::StoreTransaction& txn) { return store::ReplayAllDead(txn, now); });
}

Result<std::vector<store::PredictionRecord>> InferenceQueue::Predictions(const std::string& dimension,
                                                                         QueuePage page) {
  return store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) {
    return rows.ListPredictions(dimension, page.after, page.limit);
  });
}

Result<int64_t> InferenceQueue::ExportCsv(const std::string& dimension, std::ostream& out) {
  constexpr int kPage = 1000;
  // First pass: the feature names, in order of first appearance.
  std::vector<std::string> names;
  std::set<std::string> known;
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::PredictionRecord> page, Predictions(dimension, {after, kPage}));
    for (const store::PredictionRecord& p : page) {
      const Json features = Json::parse(p.features, nullptr, /*allow_exceptions=*/false);
      if (!features.is_object()) continue;
      for (auto it = features.begin(); it != features.end(); ++it) {
        if (known.insert(it.key()).second) names.push_back(it.key());
      }
      after = p.seq;
    }
    if (page.size() < static_cast<size_t>(kPage)) break;
  }
  out << "id,dimension,prediction,probability,ground_truth,created_at";
  for (const std::string& name : names) out << ',' << CsvCell(name);
  out << '\n';
  int64_t written = 0;
  after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::PredictionRecord> page, Predictions(dimension, {after, kPage}));
    for (const store::PredictionRecord& p : page) {
      out << p.id << ',' << CsvCell(p.dimension) << ',' << p.prediction << ',' << CsvNumber(p.probability) << ','
          << CsvCell(p.ground_truth) << ',' << FormatIso8601(p.created_at);
      const Json features = Json::parse(p.features, nullptr, /*allow_exceptions=*/false);
      for (const std::string& name : names) {
        out << ',';
        if (!features.is_object() || !features.contains(name)) continue;
        const Json& value = features[name];
        if (value.is_number()) {
          out << CsvNumber(value.get<double>());
        } else if (value.is_string()) {
          out << CsvCell(value.get<std::string>());
        }
      }
      out << '\n';
      after = p.seq;
      ++written;
    }
    if (page.size() < static_cast<size_t>(kPage)) break;
  }
  if (!out) return Status::IOError("writing the predictions' CSV failed");
  return written;
}

Result<QueueTarget> QueueTargetOf(const Json& target) {
  if (!target.is_object()) return Status::InvalidArgument("the queue target must be an object");
  QueueTarget out;
  auto text = [&](const char* name, std::string* field) -> Status {
    if (!target.contains(name) || target[name].is_null()) return Status::OK();
    if (!target[name].is_string()) return Status::InvalidArgument(std::string("field '") + name + "' must be a string");
    *field = target[name].get<std::string>();
    return Status::OK();
  };
  RETURN_IF_ERROR(text("dimension", &out.dimension));
  RETURN_IF_ERROR(text("endpoint", &out.endpoint));
  RETURN_IF_ERROR(text("model", &out.model));
  RETURN_IF_ERROR(text("ground_truth_column", &out.ground_truth_column));
  if (out.dimension.empty()) return Status::InvalidArgument("field 'dimension' is required");
  if (out.endpoint.empty()) out.endpoint = "fleet";
  if (target.contains("max_attempts") && !target["max_attempts"].is_null()) {
    if (!target["max_attempts"].is_number_integer() || target["max_attempts"].get<int64_t>() < 1 ||
        target["max_attempts"].get<int64_t>() > 1000) {
      return Status::InvalidArgument("field 'max_attempts' must be an integer from 1 to 1000");
    }
    out.max_attempts = target["max_attempts"].get<int>();
  }
  return out;
}

Json ToJson(const store::QueueMessageRecord& m) {
  return Json{{"id", m.id},
              {"state", m.state},
              {"dimension", m.dimension},
              {"endpoint", m.endpoint},
              {"model", m.model},
              {"source_file", m.source_file},
              {"row_number", m.row_number},
              {"attempts", m.attempts},
              {"max_attempts", m.max_attempts},
              {"deliveries", m.deliveries},
              {"visible_at", FormatIso8601(m.visible_at)},
              {"last_error", m.last_error},
              {"row", m.line},
              {"created_at", FormatIso8601(m.created_at)},
              {"updated_at", FormatIso8601(m.updated_at)}};
}

Json ToJson(const store::PredictionRecord& p) {
  Json features = Json::parse(p.features, nullptr, /*allow_exceptions=*/false);
  if (features.is_discarded()) features = Json::object();
  return Json{{"id", p.id},
              {"dimension", p.dimension},
              {"prediction", p.prediction},
              {"probability", std::isnan(p.probability) ? Json(nullptr) : Json(p.probability)},
              {"ground_truth", CellJson(p.ground_truth)},
              {"created_at", FormatIso8601(p.created_at)},
              {"features", std::move(features)},
              {"model", p.model_key},
              {"source_file", p.source_file},
              {"row_number", p.row_number},
              {"message_id", p.message_id}};
}

Result<events::ModelShape> EndpointInvoker::ShapeNow(const std::string& endpoint, const std::string& model) {
  ASSIGN_OR_RETURN(auto resolved, service_.Endpoint(endpoint));
  ASSIGN_OR_RETURN(std::string key, resolved->Find(model));
  ASSIGN_OR_RETURN(serving::ModelCache::Model deployed, service_.cache().Get(key));
  return events::ModelShape{deployed->num_features(), deployed->num_raw_columns()};
}

Result<events::ModelShape> EndpointInvoker::Shape(const std::string& endpoint, const std::string& model) {
  Result<events::ModelShape> shape = ShapeNow(endpoint, model);
  if (shape.ok() || shape.status().code() != StatusCode::kNotFound) return shape;
  {
    std::lock_guard<std::mutex> lock(refresh_mutex_);
    auto now = std::chrono::steady_clock::now();
    if (now - last_refresh_ < refresh_interval_) return shape;
    last_refresh_ = now;
  }
  RETURN_IF_ERROR(service_.Refresh());
  return ShapeNow(endpoint, model);
}

Result<events::InferenceAnswer> EndpointInvoker::Predict(const std::string& endpoint, const std::string& model,
                                                         const events::InferenceRows& rows) {
  serving::PredictRequest request;
  request.input = rows.raw ? serving::InputKind::kRaw : serving::InputKind::kFeatures;
  request.output = serving::OutputRequest::kProbability;
  request.rows = rows.rows;
  request.cols = rows.cols;
  request.features = rows.features;
  request.cells = rows.cells;
  ASSIGN_OR_RETURN(serving::Invocation invocation, service_.Invoke(endpoint, model, request));
  events::InferenceAnswer answer;
  answer.model_key = invocation.model_key;
  answer.per_row = invocation.predictions.per_row;
  answer.values = std::move(invocation.predictions.values);
  return answer;
}

RunningQueue::RunningQueue(Home& home, serving::EndpointService& service, events::QueueWorkerOptions options)
    : invoker_(service), workers_(home.metadata(), &invoker_, home.clock(), options) {}

std::unique_ptr<RunningQueue> StartQueueWorkers(Home& home, serving::EndpointService& service, int workers) {
  if (workers <= 0) return nullptr;
  events::QueueWorkerOptions options;
  options.workers = workers;
  auto queue = std::make_unique<RunningQueue>(home, service, options);
  queue->workers().Start([](const Status& s) { std::cerr << "warning: inference queue: " << s.ToString() << "\n"; });
  return queue;
}

}  // namespace grove::app
