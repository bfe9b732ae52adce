#pragma once

// What `grove endpoint`'s two files share: endpoint_command.cc (create, show,
// deploy, promote, ...) and endpoint_traffic_command.cc (variants, weights,
// rollouts, and deploy's --canary / --linear).
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "app/endpoints.h"
#include "app/rollout.h"
#include "cli/commands.h"

namespace grove::cli {

// Runs `fn` with the endpoint use cases over the data folder, as a one-shot
// process serves it; returns fn's exit code.
int WithEndpoints(const GlobalOptions& global, const std::function<int(app::Endpoints&)>& fn);
// Prints an endpoint (its models, variants and promotions), or the error.
int PrintEndpoint(const GlobalOptions& global, const Result<app::EndpointDescription>& described);

// `grove endpoint deploy`'s rollout flags.
struct RolloutOptions {
  double canary = 0;  // Percent; 0: not a canary.
  double linear = 0;  // Percent per step; 0: not linear.
  std::string bake = "5m";
  app::RolloutAlarms alarms;

  bool requested() const { return canary > 0 || linear > 0; }
};
void AddRolloutOptions(CLI::App* deploy, RolloutOptions* options);
// Starts the rollout of `model` ("G/N") on `endpoint`; a running `grove server` drives it.
int StartRollout(const GlobalOptions& global, const std::string& endpoint, const std::string& model,
                 const std::string& by, const RolloutOptions& options);

// Adds `variants`, `weights` and `rollout status|abort` under `grove endpoint`.
void AddEndpointTrafficCommands(CLI::App* endpoint, GlobalOptions& global, Action* action);

}  // namespace grove::cli
