#pragma once

// The workers of the durable inference queue (rules: store/queue_records.h).
// Each worker repeats one loop: lease a batch of messages, invoke the model
// each goes to (one call per file's rows), and settle the batch (predictions
// and acknowledgements, failures, deferrals) in one transaction; then move the
// files whose every row is recorded to their processed path. Invocation is
// reached through BatchInvoker, which the server wires to the endpoints it
// serves (app/inference_queue.h), so this layer needs nothing of app/.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/metadata_store.h"
#include "store/queue_records.h"
#include "store/queue_rows.h"

namespace grove::events {

// What a model takes, as the invoker sees it now.
struct ModelShape {
  size_t features = 0;     // Feature columns.
  size_t raw_columns = 0;  // Raw columns its fitted transform reads; 0 without one.
};

// Rows for one model, dense and row-major: `features` (rows * cols floats) or
// raw text `cells` (rows * cols), the other empty.
struct InferenceRows {
  bool raw = false;
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> features;
  std::vector<std::string> cells;
};

// What the model answered: `per_row` values per row (1: P(class 1) of a
// binary model; more: class probabilities).
struct InferenceAnswer {
  std::string model_key;  // "group/N".
  size_t per_row = 1;
  std::vector<double> values;
};

// How a worker reaches models. Thread-safe: workers call it concurrently.
class BatchInvoker {
 public:
  virtual ~BatchInvoker() = default;
  // NotFound when the endpoint or its model is not live (yet): such messages
  // wait instead of failing.
  virtual Result<ModelShape> Shape(const std::string& endpoint, const std::string& model) = 0;
  // Errors as Shape's; InvalidArgument for rows the model cannot take.
  virtual Result<InferenceAnswer> Predict(const std::string& endpoint, const std::string& model,
                                          const InferenceRows& rows) = 0;
};

struct QueueWorkerOptions {
  // Worker threads. Default: 2.
  int workers = 2;
  // Messages leased (and settled) per transaction. Default: 512.
  int batch = 512;
  // How long a lease hides its messages; a worker that dies holding them
  // lets them be delivered again after this. Default: 30 s.
  TimeMs visibility_ms = 30'000;
  // How long a message whose model is not live waits before it is tried again. Default: 1 s.
  TimeMs not_live_delay_ms = 1'000;
  // How long a failed message waits before its next attempt. Default: 1 s.
  TimeMs retry_delay_ms = 1'000;
  // How long an idle worker waits before looking again. Default: 100 ms.
  std::chrono::milliseconds poll{100};
};

// Counts of one round (RunOnce).
struct RoundResult {
  int leased = 0;
  int recorded = 0;
  int failed = 0;
  int deferred = 0;
  int files_moved = 0;
};

// A random (version 4) UUID, as text.
std::string NewUuid4();

// The worker threads. Start and Stop from one thread.
class QueueWorkers {
 public:
  // `store`, `invoker` and `clock` must outlive the workers.
  QueueWorkers(store::MetadataStore* store, BatchInvoker* invoker, const Clock* clock, QueueWorkerOptions options);
  ~QueueWorkers();
  QueueWorkers(const QueueWorkers&) = delete;
  QueueWorkers& operator=(const QueueWorkers&) = delete;

  // One round on the caller's thread: lease a batch, invoke, settle, move the
  // files it finished. Not to be mixed with Start.
  Result<RoundResult> RunOnce();
  // Moves files recorded but not yet moved (a crash between the settling
  // transaction and the move leaves them so). Returns how many.
  Result<int> MoveRecordedFiles();

  // Runs options.workers threads until Stop; errors go to `on_error` (on a
  // worker's thread), and that worker waits one poll before going on.
  void Start(std::function<void(const Status&)> on_error);
  void Stop();

 private:
  // The file's row (immutable fields), cached.
  Result<store::QueueFileRecord> File(const std::string& key);
  // Invokes the model for the messages of one file; fills `outcome`.
  void Answer(const store::QueueFileRecord& file, const std::vector<const store::QueueMessageRecord*>& messages,
              TimeMs now, store::LeaseOutcome* outcome);
  Status MoveFile(const store::QueueFileRecord& file);
  void Loop(const std::function<void(const Status&)>& on_error);

  store::MetadataStore* store_;
  BatchInvoker* invoker_;
  const Clock* clock_;
  const QueueWorkerOptions options_;

  std::mutex files_mutex_;
  std::map<std::string, store::QueueFileRecord> files_;  // Guarded by files_mutex_.

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // Guarded by stop_mutex_.
  std::vector<std::thread> threads_;
};

}  // namespace grove::events
