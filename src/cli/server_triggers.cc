#include "cli/server_triggers.h"

#include "app/inference_queue.h"
#include "app/pipelines.h"
#include "events/trigger_records.h"
#include "pipeline/parameters.h"
#include "store/metadata_store.h"
#include "store/object_records.h"

namespace grove::cli {

namespace {

// The execution of `pipeline` that `firing_id` started, if any (the newest 200 are looked at).
Result<std::optional<std::string>> ExecutionOfFiring(app::Home& home, const std::string& pipeline,
                                                     const std::string& firing_id) {
  ASSIGN_OR_RETURN(std::vector<store::ExecutionRecord> recent, home.metadata()->ListExecutions(pipeline, 200));
  for (const store::ExecutionRecord& e : recent) {
    if (e.parameters.is_object() && e.parameters.value(kFiringParameter, "") == firing_id) {
      return std::optional<std::string>(e.id);
    }
  }
  return std::optional<std::string>();
}

// Queues a file's rows (app::InferenceQueue) for the trigger's target. A
// watched file moves to <watch root>/processed/<its folder> once every row is
// recorded; an S3 object (s3://bucket/key) is read from the artifact store and
// stays where it is. Idempotent per file, so a firing re-driven after a crash
// queues nothing twice.
Result<int> QueueFileRows(app::Home& home, const std::vector<std::string>& roots, const std::filesystem::path& file,
                          const std::map<std::string, std::string>& target) {
  auto get = [&](const char* key) { return target.count(key) ? target.at(key) : std::string(); };
  app::QueueTarget queue_target;
  queue_target.dimension = get("dimension");
  if (!get("endpoint").empty()) queue_target.endpoint = get("endpoint");
  queue_target.model = get("model");
  queue_target.ground_truth_column = get("ground_truth_column");
  app::InferenceQueue queue(home);
  if (file.string().rfind("s3://", 0) == 0) {
    ASSIGN_OR_RETURN(std::string digest, store::ReadValue(*home.metadata(), [&](store::StoreReader& rows) {
                       return store::ResolveS3Uri(rows, file.string());
                     }));
    ASSIGN_OR_RETURN(std::filesystem::path bytes, home.artifacts()->LocalPath(digest));
    return queue.EnqueueFile(bytes, queue_target, {}, /*keep_in_place=*/true);
  }
  std::filesystem::path root;
  for (const std::string& r : roots) {
    std::filesystem::path candidate = std::filesystem::absolute(r).lexically_normal();
    auto relative = std::filesystem::absolute(file).lexically_normal().lexically_relative(candidate);
    if (!relative.empty() && *relative.begin() != "..") root = candidate;
  }
  return queue.EnqueueFile(file, queue_target, app::InferenceQueue::ProcessedDir(file, root));
}

}  // namespace

Result<std::string> ServerTriggerActions::StartPipeline(const events::TriggerSpec& spec,
                                                        const std::map<std::string, std::string>& parameters,
                                                        const std::string& firing_id) {
  pipeline::Definition def;
  int version = 0;
  if (events::IsPipelineFile(spec.pipeline)) {
    ASSIGN_OR_RETURN(def, app::Pipelines::Read(spec.pipeline));
  } else {
    ASSIGN_OR_RETURN(app::PipelineDescription stored, app::Pipelines(home_).Describe(spec.pipeline, 0));
    ASSIGN_OR_RETURN(def, app::Pipelines::Parse(stored.definition));
    version = stored.definition.version;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> earlier, ExecutionOfFiring(home_, def.name, firing_id));
  if (earlier) return *earlier;
  ASSIGN_OR_RETURN(Json values, pipeline::CoerceParameters(def, parameters));
  if (version == 0) {
    ASSIGN_OR_RETURN(app::RegisteredDefinition registered, app::Pipelines(home_).Store(std::move(def)));
    def = std::move(registered.definition);
    version = registered.version;
  }
  values[kFiringParameter] = firing_id;
  return executor_->Start(def, version, values);
}

Result<int> ServerTriggerActions::QueueFile(const std::filesystem::path& file,
                                            const std::map<std::string, std::string>& target,
                                            const std::string&) {
  return QueueFileRows(home_, roots_, file, target);
}

Status LoadTriggerFiles(app::Home& home, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::vector<events::TriggerSpec> specs, events::ReadTriggersFile(file));
    for (const events::TriggerSpec& spec : specs) RETURN_IF_ERROR(events::UpsertTrigger(*home.metadata(), spec));
  }
  return Status::OK();
}

}  // namespace grove::cli
