#pragma once

// Queued batch inference (the use cases; rules: store/queue_records.h,
// workers: events/queue_workers.h). A file's rows are enqueued once, each as a
// message for one dimension's model; workers answer them in batches and record
// one prediction per row; the file then moves to its processed folder.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"
#include "events/queue_workers.h"
#include "serving/endpoint_service.h"
#include "store/queue_rows.h"

namespace grove::app {

// Where a file's rows go.
struct QueueTarget {
  std::string dimension;
  // The multi-model endpoint the fleet deploys every dimension's model onto.
  std::string endpoint = "fleet";
  // Empty: the dimension's group, "<dimension>-model-registry".
  std::string model;
  // The column holding the ground truth. Empty: the first column, when a row
  // has one more value than the model takes (features, or raw columns).
  std::string ground_truth_column;
  // Failed attempts before a row is dead-lettered. Default: 2.
  int max_attempts = 2;

  std::string ModelName() const { return model.empty() ? dimension + "-model-registry" : model; }
};

// One page of a listing: items after `after` (an id or seq), at most `limit` (all when <= 0).
struct QueuePage {
  int64_t after = 0;
  int limit = 0;
};

class InferenceQueue {
 public:
  explicit InferenceQueue(Home& home) : home_(home) {}

  // Where a file goes once processed: `<root>/processed/<path relative to
  // root>` when `watch_root` is given and holds the file; otherwise a
  // `processed/` folder beside the file. This returns the folder.
  static std::filesystem::path ProcessedDir(const std::filesystem::path& file,
                                            const std::filesystem::path& watch_root = {});

  // Enqueues every data row of the CSV `file` (a header, then rows) for
  // `target`, to move to `processed_dir` (empty: ProcessedDir(file)) once
  // every row is recorded. Idempotent: one transaction stores the rows with
  // the file's identity (absolute path and SHA-256 of its bytes), and a file
  // already enqueued adds nothing (returns 0). Errors name the file and line.
  // `keep_in_place`: never move the file (an S3 object's bytes, which live in
  // the artifact store).
  Result<int> EnqueueFile(const std::filesystem::path& file, const QueueTarget& target,
                          const std::filesystem::path& processed_dir = {}, bool keep_in_place = false);

  // Messages in `state` (any when empty), by id.
  Result<std::vector<store::QueueMessageRecord>> List(const std::string& state, QueuePage page);
  // A message with its prediction when it has one ({..., "prediction": {...}}).
  Result<Json> Show(int64_t id);
  // Counts by state and the dead letters (at most 100): {counts, dead_letters}.
  Result<Json> Summary();
  // Puts dead message `id` back in the queue (FailedPrecondition when it is not dead).
  Result<store::QueueMessageRecord> Replay(int64_t id);
  // Every dead message; how many.
  Result<int> ReplayAllDead();

  // Predictions of `dimension` (all when empty), by seq.
  Result<std::vector<store::PredictionRecord>> Predictions(const std::string& dimension, QueuePage page);
  // Writes every prediction of `dimension` (all when empty) as CSV: id,
  // dimension, prediction, probability, ground_truth, created_at, then one
  // column per feature name (in order of first appearance). Returns the rows written.
  Result<int64_t> ExportCsv(const std::string& dimension, std::ostream& out);

 private:
  Home& home_;
};

// The JSON views (what --json and the REST API show).
Json ToJson(const store::QueueMessageRecord& message);
// {id, dimension, prediction, probability, ground_truth, created_at, features, model, source_file, row_number, message_id}.
Json ToJson(const store::PredictionRecord& prediction);

// The views of a listing, or its error.
template <typename Record>
Result<Json> QueueViews(const Result<std::vector<Record>>& records) {
  if (!records.ok()) return records.status();
  Json items = Json::array();
  for (const Record& r : *records) items.push_back(ToJson(r));
  return items;
}

// A target from its JSON form {dimension, endpoint?, model?,
// ground_truth_column?, max_attempts?}; InvalidArgument naming the field.
Result<QueueTarget> QueueTargetOf(const Json& target);

// BatchInvoker over the endpoints `service` serves. A model not found is
// looked up again after refreshing the service, at most once per
// `refresh_interval` (a process without an event follower sees new deployments so).
class EndpointInvoker : public events::BatchInvoker {
 public:
  explicit EndpointInvoker(serving::EndpointService& service,
                           std::chrono::milliseconds refresh_interval = std::chrono::milliseconds(1000))
      : service_(service), refresh_interval_(refresh_interval) {}

  Result<events::ModelShape> Shape(const std::string& endpoint, const std::string& model) override;
  Result<events::InferenceAnswer> Predict(const std::string& endpoint, const std::string& model,
                                          const events::InferenceRows& rows) override;

 private:
  Result<events::ModelShape> ShapeNow(const std::string& endpoint, const std::string& model);

  serving::EndpointService& service_;
  const std::chrono::milliseconds refresh_interval_;
  std::mutex refresh_mutex_;
  std::chrono::steady_clock::time_point last_refresh_{};  // Guarded by refresh_mutex_.
};

// The queue's workers running over `service` (the server's, or one of its own
// for `grove queue work`); they stop when this is destroyed.
class RunningQueue {
 public:
  RunningQueue(Home& home, serving::EndpointService& service, events::QueueWorkerOptions options);
  ~RunningQueue() { workers_.Stop(); }
  events::QueueWorkers& workers() { return workers_; }

 private:
  EndpointInvoker invoker_;
  events::QueueWorkers workers_;
};

// Starts `workers` worker threads (none when 0; errors are logged to stderr).
std::unique_ptr<RunningQueue> StartQueueWorkers(Home& home, serving::EndpointService& service, int workers);

}  // namespace grove::app
