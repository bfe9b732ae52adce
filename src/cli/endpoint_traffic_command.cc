// `grove endpoint variants|weights|rollout` and the rollout form of `grove
// endpoint deploy` (--canary / --linear): how an endpoint's traffic is split
// between versions (registry/traffic.h) and safe deployments (app/rollout.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/endpoints.h"
#include "app/record_json.h"
#include "app/rollouts.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/endpoint_traffic.h"
#include "cli/execution_wait.h"
#include "cli/output.h"
#include "common/number_text.h"
#include "registry/registry.h"

namespace grove::cli {

namespace {

struct TrafficArgs {
  std::string name;
  std::vector<std::string> variants;  // NAME=G/N[:WEIGHT]
  std::vector<std::string> shadows;   // NAME=G/N
  std::vector<std::string> weights;   // NAME=WEIGHT
  bool clear = false;
  std::string by;
};

std::string By(const std::string& by) { return by.empty() ? CurrentUser() : by; }

Result<double> ParseNumber(const std::string& text, const std::string& what) {
  try {
    size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return Status::InvalidArgument(what + ": '" + text + "' is not a number");
}

// "NAME=G/N[:WEIGHT]" (a shadow: "NAME=G/N").
Result<registry::VariantSpec> ParseVariant(const std::string& text, bool shadow) {
  const std::string form = shadow ? "NAME=GROUP/VERSION" : "NAME=GROUP/VERSION[:WEIGHT]";
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument("variant '" + text + "': expected " + form);
  }
  registry::VariantSpec v;
  v.name = text.substr(0, eq);
  v.shadow = shadow;
  std::string model = text.substr(eq + 1);
  if (size_t colon = model.find(':'); colon != std::string::npos && !shadow) {
    ASSIGN_OR_RETURN(v.weight, ParseNumber(model.substr(colon + 1), "variant '" + v.name + "' weight"));
    model.resize(colon);
  }
  Result<std::pair<std::string, int>> ref = registry::Registry::ParseVersionRef(model);
  if (!ref.ok()) return Status::InvalidArgument("variant '" + text + "': expected " + form);
  v.group = ref->first;
  v.version = ref->second;
  return v;
}

Result<app::EndpointDescription> SetVariants(app::Endpoints& endpoints, const TrafficArgs& args) {
  std::vector<registry::VariantSpec> variants;
  if (!args.clear) {
    if (args.variants.empty() && args.shadows.empty()) {
      return Status::InvalidArgument("name the variants (NAME=GROUP/VERSION[:WEIGHT], --shadow NAME=GROUP/VERSION) "
                                     "or pass --clear");
    }
    for (const std::string& text : args.variants) {
      ASSIGN_OR_RETURN(registry::VariantSpec v, ParseVariant(text, false));
      variants.push_back(std::move(v));
    }
    for (const std::string& text : args.shadows) {
      ASSIGN_OR_RETURN(registry::VariantSpec v, ParseVariant(text, true));
      variants.push_back(std::move(v));
    }
  }
  return endpoints.SetVariants(args.name, variants, By(args.by));
}

Result<app::EndpointDescription> SetWeights(app::Endpoints& endpoints, const TrafficArgs& args) {
  std::vector<std::pair<std::string, double>> weights;
  for (const std::string& text : args.weights) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("weight '" + text + "': expected VARIANT=WEIGHT");
    }
    ASSIGN_OR_RETURN(double weight, ParseNumber(text.substr(eq + 1), "variant '" + text.substr(0, eq) + "' weight"));
    weights.emplace_back(text.substr(0, eq), weight);
  }
  return endpoints.SetWeights(args.name, weights, By(args.by));
}

int Variants(const GlobalOptions& global, const TrafficArgs& args) {
  return WithEndpoints(global, [&](app::Endpoints& e) { return PrintEndpoint(global, SetVariants(e, args)); });
}

int Weights(const GlobalOptions& global, const TrafficArgs& args) {
  return WithEndpoints(global, [&](app::Endpoints& e) { return PrintEndpoint(global, SetWeights(e, args)); });
}

std::string Percent(double value) { return ShortNumber(value) + "%"; }

int PrintRollout(const GlobalOptions& global, const Result<app::RolloutRecord>& rollout) {
  if (!rollout.ok()) return ReportError(rollout.status());
  const app::RolloutRecord& r = *rollout;
  if (global.json) {
    PrintJson(std::cout, app::ToJson(r));
    return kExitOk;
  }
  const std::vector<double> shares = r.Shares();
  std::cout << "rollout   " << r.endpoint << ": " << store::VersionRef(r.group, r.from) << " -> "
            << store::VersionRef(r.group, r.to) << " (" << r.strategy << " " << Percent(r.percent) << ", bake "
            << FormatTimeout(std::chrono::milliseconds(r.bake_ms)) << " per step)\n";
  std::cout << "state     " << r.state;
  if (r.running()) {
    std::cout << ", step " << r.step + 1 << " of " << shares.size() << ": " << Percent(shares[r.step]) << " to "
              << store::VersionRef(r.group, r.to);
  }
  std::cout << "\n";
  if (!r.reason.empty()) std::cout << "reason    " << r.reason << "\n";
  std::string alarms;
  if (r.alarms.max_error_rate >= 0) alarms += "error rate > " + ShortNumber(r.alarms.max_error_rate) + "; ";
  if (r.alarms.max_p99_ms >= 0) alarms += "p99 > " + ShortNumber(r.alarms.max_p99_ms) + " ms; ";
  if (r.alarms.max_drift >= 0) alarms += "drift > " + ShortNumber(r.alarms.max_drift) + "; ";
  std::cout << "alarms    "
            << (alarms.empty() ? "none"
                               : alarms + "after " + std::to_string(r.alarms.min_requests) + " canary requests")
            << "\n\nhistory\n";
  for (const Json& h : r.history) {
    std::cout << "  " << FormatTime(h["at"]) << "  " << h["message"].get<std::string>() << "\n";
  }
  return kExitOk;
}

struct RolloutCommandArgs {
  std::string name;
  std::string by;
};

int RolloutStatus(const GlobalOptions& global, const RolloutCommandArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  return PrintRollout(global, app::Rollouts((*home)->metadata(), (*home)->clock()).Get(args.name));
}

int RolloutAbort(const GlobalOptions& global, const RolloutCommandArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  return PrintRollout(global, app::Rollouts((*home)->metadata(), (*home)->clock()).Abort(args.name, By(args.by)));
}

}  // namespace

void AddRolloutOptions(CLI::App* deploy, RolloutOptions* options) {
  CLI::Option* canary = deploy->add_option(
      "--canary", options->canary, "Roll out as a canary: this percentage of traffic for one bake time, then all");
  canary->check(CLI::Range(0.0, 100.0));
  deploy->add_option("--linear", options->linear, "Roll out linearly: steps of this percentage, each for a bake time")
      ->check(CLI::Range(0.0, 100.0))
      ->excludes(canary);
  deploy->add_option("--bake", options->bake, "Bake time of each step: 90s, 5m, 1h (default 5m)");
  deploy->add_option("--max-error-rate", options->alarms.max_error_rate,
                     "Roll back when more than this share (0-1) of canary requests fail");
  deploy->add_option("--max-p99-ms", options->alarms.max_p99_ms,
                     "Roll back when the canary's p99 model latency exceeds this, ms");
  deploy->add_option("--max-drift", options->alarms.max_drift,
                     "Roll back when the canary's mean prediction moves more than this many standard deviations of "
                     "the previous version's");
  deploy->add_option("--min-requests", options->alarms.min_requests,
                     "Canary requests in a step before alarms are judged (default 20)");
}

int StartRollout(const GlobalOptions& global, const std::string& endpoint, const std::string& model,
                 const std::string& by, const RolloutOptions& options) {
  app::RolloutSpec spec;
  spec.endpoint = endpoint;
  spec.model = model;
  spec.strategy = options.linear > 0 ? "linear" : "canary";
  spec.percent = options.linear > 0 ? options.linear : options.canary;
  auto bake = ParseTimeout(options.bake);
  if (!bake.ok()) return ReportError(Status::InvalidArgument("--bake: " + bake.status().message()));
  spec.bake_ms = bake->count();
  spec.alarms = options.alarms;
  spec.by = By(by);
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  return PrintRollout(global, app::Rollouts((*home)->metadata(), (*home)->clock()).Start(spec));
}

void AddEndpointTrafficCommands(CLI::App* endpoint, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<TrafficArgs>();
  CLI::App* variants = endpoint->add_subcommand(
      "variants", "Split an endpoint's traffic between versions by weight, and shadow versions (replaces the variants)");
  variants->add_option("name", args->name, "Endpoint")->required();
  variants->add_option("variant", args->variants, "NAME=GROUP/VERSION[:WEIGHT] (weight 1 by default)");
  variants->add_option("--shadow", args->shadows, "NAME=GROUP/VERSION: gets a copy of its group's traffic; answers "
                                                  "are compared, never returned");
  variants->add_flag("--clear", args->clear, "Remove every variant");
  variants->add_option("--by", args->by, "Who (default: $USER)");
  Bind(variants, global, action, args, Variants);

  CLI::App* weights = endpoint->add_subcommand("weights", "Change variants' weights at once");
  weights->add_option("name", args->name, "Endpoint")->required();
  weights->add_option("weight", args->weights, "VARIANT=WEIGHT")->required();
  weights->add_option("--by", args->by, "Who (default: $USER)");
  Bind(weights, global, action, args, Weights);

  auto rollout_args = std::make_shared<RolloutCommandArgs>();
  CLI::App* rollout = endpoint->add_subcommand("rollout", "A canary or linear deployment's state; abort it");
  rollout->require_subcommand(1);
  CLI::App* status = rollout->add_subcommand("status", "Show the endpoint's latest rollout");
  status->add_option("name", rollout_args->name, "Endpoint")->required();
  Bind(status, global, action, rollout_args, RolloutStatus);
  CLI::App* abort = rollout->add_subcommand("abort", "Stop the running rollout: all traffic back to the previous version");
  abort->add_option("name", rollout_args->name, "Endpoint")->required();
  abort->add_option("--by", rollout_args->by, "Who (default: $USER)");
  Bind(abort, global, action, rollout_args, RolloutAbort);
}

}  // namespace grove::cli
