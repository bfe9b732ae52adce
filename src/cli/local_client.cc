// The client over the data folder: app/'s use cases and record_json's views.
#include <chrono>
#include <thread>

#include "app/artifacts.h"
#include "app/configuration.h"
#include "app/endpoints.h"
#include "app/executions.h"
#include "app/inference_queue.h"
#include "app/model_registry.h"
#include "app/pipelines.h"
#include "app/record_json.h"
#include "cli/client.h"
#include "events/trigger_records.h"

namespace grove::cli {

namespace {

class LocalClient final : public Client {
 public:
  explicit LocalClient(std::unique_ptr<app::Home> home) : home_(std::move(home)) {}

  Result<Json> CreatePipeline(const std::string& file) override {
    return app::ViewOf(app::Pipelines(*home_).Register(file));
  }
  Result<Json> ListPipelines() override {
    return app::ViewOf(app::Pipelines(*home_).List());
  }
  Result<Json> DescribePipeline(const std::string& name, int version) override {
    return app::ViewOf(app::Pipelines(*home_).Describe(name, version));
  }

  // The execution runs in this process: the command waits for it (Watch, then Describe).
  Result<Json> StartExecution(const std::string& pipeline,
                              const std::map<std::string, std::string>& parameters) override {
    if (!executor_) {
      ASSIGN_OR_RETURN(executor_, home_->NewExecutor(0));
    }
    return app::ViewOf(app::Executions(*home_, executor_.get()).StartStored(pipeline, parameters));
  }
  Result<Json> ListExecutions(const std::string& pipeline, int limit) override {
    return app::ViewOf(app::Executions(*home_).List({pipeline, limit}));
  }
  Result<Json> DescribeExecution(const std::string& id) override {
    return app::ViewOf(app::Executions(*home_).Describe(id));
  }
  Result<Json> ExecutionSteps(const std::string& id) override {
    return app::ViewOf(app::Executions(*home_).Steps(id));
  }
  Status Watch(const std::string&) override { return Status::OK(); }
  Status WaitForChange() override { return WaitForChangeWithin(std::chrono::milliseconds(500)); }
  Status WaitForChangeWithin(std::chrono::milliseconds at_most) override {
    std::this_thread::sleep_for(std::min(at_most, std::chrono::milliseconds(500)));
    return Status::OK();
  }

  Result<Json> ListModelGroups() override {
    return app::ViewOf(app::ModelRegistry(*home_).Groups());
  }
  Result<Json> ListModelVersions(const std::string& group) override {
    return app::ViewOf(app::ModelRegistry(*home_).Versions(group));
  }
  Result<Json> DescribeModelVersion(const std::string& ref) override {
    return app::ViewOf(app::ModelRegistry(*home_).Get(ref));
  }
  Result<Json> ModelVersionReport(const std::string& ref) override {
    app::ModelRegistry registry(*home_);
    ASSIGN_OR_RETURN(auto version, registry.Get(ref));
    ASSIGN_OR_RETURN(app::EvaluationReport report, registry.Report(version));
    return app::ToJson(report);
  }
  Result<std::string> ReadArtifact(const std::string& digest) override {
    return app::Artifacts(*home_).ReadRange(digest, 0, std::nullopt);
  }
  Result<Json> ChangeApproval(const std::string& ref, bool approve, const std::string& comment,
                              const std::string& by) override {
    app::ModelRegistry registry(*home_);
    const std::string who = by.empty() ? CurrentUser() : by;
    return app::ViewOf(approve ? registry.Approve(ref, comment, who) : registry.Reject(ref, comment, who));
  }

  Result<Json> ListEndpoints() override {
    ASSIGN_OR_RETURN(auto service, home_->Endpoints());
    return app::ToJsonArray(app::Endpoints(*home_, *service).List());  // Nothing is loaded for a listing.
  }
  Result<Json> DescribeEndpoint(const std::string& name) override {
    ASSIGN_OR_RETURN(auto service, home_->Endpoints());
    return app::ViewOf(app::Endpoints(*home_, *service).Describe(name));
  }

  Result<Json> CreateTrigger(const Json& body) override {
    ASSIGN_OR_RETURN(events::TriggerSpec spec, events::TriggerSpecFromJson(body));
    if (spec.source.empty()) spec.source = "cli";
    RETURN_IF_ERROR(events::CreateTrigger(*home_->metadata(), spec));
    return events::TriggerView(*home_->metadata(), spec.name, -1);
  }
  Result<Json> ListTriggers() override {
    ASSIGN_OR_RETURN(std::vector<events::TriggerSpec> specs, events::ListTriggers(*home_->metadata()));
    Json out = Json::array();
    for (const events::TriggerSpec& spec : specs) out.push_back(events::ToJson(spec));
    return out;
  }
  Result<Json> DescribeTrigger(const std::string& name, int firings) override {
    return events::TriggerView(*home_->metadata(), name, firings);
  }
  Result<Json> PauseTrigger(const std::string& name, bool paused) override {
    RETURN_IF_ERROR(events::SetTriggerPaused(*home_->metadata(), name, paused).status());
    return events::TriggerView(*home_->metadata(), name, -1);
  }
  Status DeleteTrigger(const std::string& name) override { return events::DeleteTrigger(*home_->metadata(), name); }
  Result<Json> EnqueueFile(const std::string& file, const Json& target) override {
    ASSIGN_OR_RETURN(app::QueueTarget parsed, app::QueueTargetOf(target));
    ASSIGN_OR_RETURN(int enqueued, app::InferenceQueue(*home_).EnqueueFile(file, parsed));
    return Json{{"file", file}, {"enqueued", enqueued}};
  }
  Result<Json> QueueSummary() override { return app::InferenceQueue(*home_).Summary(); }
  Result<Json> ListQueueMessages(const std::string& state, int limit) override {
    return app::QueueViews(app::InferenceQueue(*home_).List(state, {0, limit}));
  }
  Result<Json> ShowQueueMessage(int64_t id) override { return app::InferenceQueue(*home_).Show(id); }
  Result<Json> ReplayQueue(int64_t id, bool all_dead) override {
    app::InferenceQueue queue(*home_);
    if (all_dead) {
      ASSIGN_OR_RETURN(int replayed, queue.ReplayAllDead());
      return Json{{"replayed", replayed}};
    }
    RETURN_IF_ERROR(queue.Replay(id).status());
    return Json{{"replayed", 1}};
  }
  Result<Json> ListPredictions(const std::string& dimension, int limit) override {
    return app::QueueViews(app::InferenceQueue(*home_).Predictions(dimension, {0, limit}));
  }
  Result<int64_t> ExportPredictions(const std::string& dimension, std::ostream& out) override {
    return app::InferenceQueue(*home_).ExportCsv(dimension, out);
  }
  Result<Json> PlanConfig(const Json& document, bool prune) override {
    ASSIGN_OR_RETURN(app::ConfigDocument doc, app::ConfigDocumentFromJson(document));
    ASSIGN_OR_RETURN(app::ConfigPlan plan, app::Configuration(*home_).Plan(doc, prune));
    return app::ToJson(plan);
  }
  Result<Json> ApplyConfig(const Json& document, bool prune) override {
    ASSIGN_OR_RETURN(app::ConfigDocument doc, app::ConfigDocumentFromJson(document));
    ASSIGN_OR_RETURN(app::ConfigApplied applied, app::Configuration(*home_).Apply(doc, prune, CurrentUser()));
    return app::ToJson(applied);
  }
  Result<Json> ExportConfig() override { return app::Configuration(*home_).Export(); }

 private:
  std::unique_ptr<app::Home> home_;
  std::unique_ptr<pipeline::Executor> executor_;  // Runs what StartExecution starts.
};

}  // namespace

std::unique_ptr<Client> NewLocalClient(std::unique_ptr<app::Home> home) {
  return std::make_unique<LocalClient>(std::move(home));
}

}  // namespace grove::cli
