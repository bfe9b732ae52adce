#include "cli/server_triggers.h"

#include "app/pipelines.h"
#include "events/trigger_records.h"
#include "pipeline/parameters.h"

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

// The queue action until app::InferenceQueue is merged: the one function to
// swap for `InferenceQueue::EnqueueFile(file, {dimension, endpoint, model}, processed_dir)`.
Result<int> QueueFileRows(app::Home&, const std::filesystem::path& file,
                          const std::map<std::string, std::string>& target) {
  auto get = [&](const char* key) { return target.count(key) ? target.at(key) : std::string(); };
  return Status::Unimplemented("queue not available in this build: cannot queue " + file.string() +
                               " for dimension '" + get("dimension") + "' (endpoint '" + get("endpoint") +
                               "', model '" + get("model") + "')");
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
  return QueueFileRows(home_, file, target);
}

Status LoadTriggerFiles(app::Home& home, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::vector<events::TriggerSpec> specs, events::ReadTriggersFile(file));
    for (const events::TriggerSpec& spec : specs) RETURN_IF_ERROR(events::UpsertTrigger(*home.metadata(), spec));
  }
  return Status::OK();
}

}  // namespace grove::cli
