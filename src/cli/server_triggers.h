#pragma once

// The server's side of triggers: the actions of events/trigger_actions.h
// wired to app/ (start an execution as `grove run` does; queue a file's rows
// with app::InferenceQueue).
#include <memory>
#include <string>
#include <vector>

#include "app/home.h"
#include "events/trigger_actions.h"
#include "pipeline/executor.h"

namespace grove::cli {

// The parameter that carries a trigger firing's id into the execution it
// started, so that a firing re-driven after a crash finds its execution
// instead of starting a second one.
inline constexpr const char* kFiringParameter = "GroveTriggerFiring";

class ServerTriggerActions : public events::TriggerActions {
 public:
  // `roots`: the watched folders, under which processed files go (<root>/processed/).
  ServerTriggerActions(app::Home& home, pipeline::Executor* executor, std::vector<std::string> roots)
      : home_(home), executor_(executor), roots_(std::move(roots)) {}

  // Reads the definition file (registering it as `grove run` does) or the
  // registered pipeline, coerces `parameters`, and starts an execution whose
  // parameters also hold kFiringParameter; returns the one already started
  // for `firing_id` when there is one.
  Result<std::string> StartPipeline(const events::TriggerSpec& spec,
                                    const std::map<std::string, std::string>& parameters,
                                    const std::string& firing_id) override;
  Result<int> QueueFile(const std::filesystem::path& file, const std::map<std::string, std::string>& target,
                        const std::string& firing_id) override;

 private:
  app::Home& home_;
  pipeline::Executor* executor_;
  std::vector<std::string> roots_;
};

// Loads each triggers file into the store (create or replace by name).
Status LoadTriggerFiles(app::Home& home, const std::vector<std::string>& files);

}  // namespace grove::cli
