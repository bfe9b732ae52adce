#include "cli/server_hooks.h"

#include <iostream>

namespace grove::cli {

namespace {

events::HookTargetOptions TargetOptions(const ServerHookOptions& options, events::HookActions* actions) {
  events::HookTargetOptions out;
  out.smtp_url = options.smtp_url;
  out.smtp_from = options.smtp_from;
  out.actions = actions;
  return out;
}

events::HookDelivererOptions DelivererOptions(const ServerHookOptions& options) {
  events::HookDelivererOptions out;
  out.poll = options.poll;
  out.on_attempt = [](const events::HookDelivery& d, const events::HookAttempt& a) {
    std::cout << "hook " << d.hook << ": event " << d.seq << " " << d.event.value("type", "") << " "
              << d.event.value("subject", "") << " -> " << a.outcome << " (" << d.status << ", attempt " << d.attempts
              << ")" << std::endl;
  };
  return out;
}

}  // namespace

Result<std::string> ServerHookActions::StartPipeline(const std::string& pipeline,
                                                     const std::map<std::string, std::string>& parameters,
                                                     const std::string& delivery_id) {
  events::TriggerSpec spec;
  spec.pipeline = pipeline;
  return starter_.StartPipeline(spec, parameters, "hook-" + delivery_id);
}

ServerHooks::ServerHooks(app::Home& home, pipeline::Executor* executor, const ServerHookOptions& options)
    : actions_(home, executor),
      targets_(TargetOptions(options, &actions_)),
      deliverer_(home.metadata(), &targets_, home.clock(), DelivererOptions(options)) {}

void ServerHooks::Start() {
  deliverer_.Start([](const Status& s) { std::cerr << "warning: hooks: " << s.ToString() << "\n"; });
}

void ServerHooks::Stop() { deliverer_.Stop(); }

}  // namespace grove::cli
