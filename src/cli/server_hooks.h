#pragma once

// The server's side of hooks: events/hook_deliverer.h with the real targets
// (events/hook_targets.h), whose pipeline starts go to app/ the way a
// trigger's do (cli/server_triggers.h), idempotent per delivery id.
#include <chrono>
#include <memory>
#include <string>

#include "app/home.h"
#include "cli/server_triggers.h"
#include "events/hook_actions.h"
#include "events/hook_deliverer.h"
#include "events/hook_targets.h"
#include "pipeline/executor.h"

namespace grove::cli {

class ServerHookActions : public events::HookActions {
 public:
  ServerHookActions(app::Home& home, pipeline::Executor* executor) : starter_(home, executor, {}) {}
  // The delivery id rides in the execution's kFiringParameter, so a delivery
  // attempted again finds the execution it started.
  Result<std::string> StartPipeline(const std::string& pipeline, const std::map<std::string, std::string>& parameters,
                                    const std::string& delivery_id) override;

 private:
  ServerTriggerActions starter_;
};

struct ServerHookOptions {
  std::string smtp_url;   // --smtp-url / GROVE_SMTP_URL.
  std::string smtp_from;  // --smtp-from / GROVE_SMTP_FROM.
  std::chrono::milliseconds poll{200};
};

// Delivers hooks while it lives: Start after the server listens, Stop before it closes.
class ServerHooks {
 public:
  ServerHooks(app::Home& home, pipeline::Executor* executor, const ServerHookOptions& options);
  void Start();
  void Stop();

 private:
  ServerHookActions actions_;
  events::NetworkHookTargets targets_;
  events::HookDeliverer deliverer_;
};

}  // namespace grove::cli
