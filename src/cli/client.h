#pragma once

// What the CLI's commands ask of Grove, answered as the JSON views of
// app/record_json.h (the objects `--json` prints). A command prints from that
// JSON whether it came from the data folder (the local client, over app/) or
// from a server (the remote client, over the REST API, when GROVE_URL is
// set), so both print the same and exit the same.
#include <chrono>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::cli {

class Client {
 public:
  virtual ~Client() = default;

  // Stores the definition in `file` as its pipeline's next version (unless the
  // latest has the same text); {pipeline, version, new_version}. The file is
  // read and checked here either way, so its errors name it.
  virtual Result<Json> CreatePipeline(const std::string& file) = 0;
  virtual Result<Json> ListPipelines() = 0;
  // `version` 0: the latest.
  virtual Result<Json> DescribePipeline(const std::string& name, int version) = 0;

  // Starts the latest stored version of `pipeline`; {id, pipeline, version}.
  virtual Result<Json> StartExecution(const std::string& pipeline,
                                      const std::map<std::string, std::string>& parameters) = 0;
  virtual Result<Json> ListExecutions(const std::string& pipeline, int limit) = 0;
  virtual Result<Json> DescribeExecution(const std::string& id) = 0;
  virtual Result<Json> ExecutionSteps(const std::string& id) = 0;
  // Starts watching execution `id`: from now on WaitForChange returns once
  // something about it may have changed (the remote client follows the
  // server's event stream; the local one waits half a second).
  virtual Status Watch(const std::string& id) = 0;
  virtual Status WaitForChange() = 0;
  // As WaitForChange, but returns after `at_most` at the latest, changed or not.
  virtual Status WaitForChangeWithin(std::chrono::milliseconds at_most) = 0;

  virtual Result<Json> ListModelGroups() = 0;
  virtual Result<Json> ListModelVersions(const std::string& group) = 0;
  // `ref` is "G/N".
  virtual Result<Json> DescribeModelVersion(const std::string& ref) = 0;
  // {digest, report}; NotFound when the version has none.
  virtual Result<Json> ModelVersionReport(const std::string& ref) = 0;
  // The bytes of a file artifact by digest (e.g. a baseline attached to a version).
  virtual Result<std::string> ReadArtifact(const std::string& digest) = 0;
  // Approves or rejects; `by` empty: the caller (the remote client refuses a `by`:
  // a server records the access key's name).
  virtual Result<Json> ChangeApproval(const std::string& ref, bool approve, const std::string& comment,
                                      const std::string& by) = 0;

  virtual Result<Json> ListEndpoints() = 0;
  virtual Result<Json> DescribeEndpoint(const std::string& name) = 0;

  // Triggers (events/trigger_records.h's views): `spec` as the triggers file writes one.
  virtual Result<Json> CreateTrigger(const Json& spec) = 0;
  virtual Result<Json> ListTriggers() = 0;
  // With its newest `firings` firings (all when 0).
  virtual Result<Json> DescribeTrigger(const std::string& name, int firings) = 0;
  virtual Result<Json> PauseTrigger(const std::string& name, bool paused) = 0;
  virtual Status DeleteTrigger(const std::string& name) = 0;
  // The inference queue (app/inference_queue.h). Enqueues the rows of `file`
  // (a path on the server's machine when remote) for `target`
  // ({dimension, endpoint?, model?, ground_truth_column?, max_attempts?});
  // {file, enqueued}: 0 when the file was enqueued before.
  virtual Result<Json> EnqueueFile(const std::string& file, const Json& target) = 0;
  // {counts: {queued, done, dead}, dead_letters: [...]}.
  virtual Result<Json> QueueSummary() = 0;
  // Messages in `state` (any when empty), by id; at most `limit` (all when <= 0).
  virtual Result<Json> ListQueueMessages(const std::string& state, int limit) = 0;
  virtual Result<Json> ShowQueueMessage(int64_t id) = 0;
  // Replays dead message `id`, or every dead one when `all_dead`; {replayed: n}.
  virtual Result<Json> ReplayQueue(int64_t id, bool all_dead) = 0;
  // Predictions of `dimension` (all when empty), oldest first; at most `limit` (all when <= 0).
  virtual Result<Json> ListPredictions(const std::string& dimension, int limit) = 0;
  // Writes them as CSV (app::InferenceQueue::ExportCsv's columns); the rows written.
  virtual Result<int64_t> ExportPredictions(const std::string& dimension, std::ostream& out) = 0;
  // Configuration (app/configuration.h): `document` is ToJson(ConfigDocument).
  // The plan's view; the apply's (with created_keys); the state exported.
  virtual Result<Json> PlanConfig(const Json& document, bool prune) = 0;
  virtual Result<Json> ApplyConfig(const Json& document, bool prune) = 0;
  virtual Result<Json> ExportConfig() = 0;
};

// The CSV of prediction views (ToJson of PredictionRecord): the columns of
// app::InferenceQueue::ExportCsv, for predictions fetched from a server.
void WritePredictionsCsv(const Json& predictions, std::ostream& out);

// The server's URL when commands go to a server: $GROVE_URL, unless --home
// names a data folder; empty otherwise.
std::string ServerUrl(const GlobalOptions& global);

// A remote client when ServerUrl is set (authenticating with
// $GROVE_SECRET_ACCESS_KEY, else $AWS_SECRET_ACCESS_KEY, as a Bearer secret),
// else a local one over the opened data folder.
Result<std::unique_ptr<Client>> OpenClient(const GlobalOptions& global);

std::unique_ptr<Client> NewLocalClient(std::unique_ptr<app::Home> home);
Result<std::unique_ptr<Client>> NewRemoteClient(const std::string& url, const std::string& secret);

}  // namespace grove::cli
