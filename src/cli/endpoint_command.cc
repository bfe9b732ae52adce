#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/request_input.h"
#include "registry/endpoints.h"
#include "registry/registry.h"
#include "serving/endpoint_service.h"
#include "serving/promotion_gate.h"

namespace grove::cli {

namespace {

struct EndpointArgs {
  std::string name;
  std::string target;  // promote: the production endpoint.
  bool multi_model = false;
  std::vector<std::string> follow;
  std::vector<std::string> deploy;  // "group/N" pins.
  double capture_percent = 0;
  std::string model;  // deploy: "group/N"; undeploy: "group".
  std::string comment;
  std::string by;
  RequestInput sample;
  bool require_capture = false;
};

// The endpoint rules (create, deploy, promote) over this data folder.
registry::Endpoints EndpointRules(Home& home) { return registry::Endpoints(home.metadata(), home.clock()); }

Result<store::EndpointDeployment> ParsePin(const std::string& ref, const EndpointArgs& args) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return store::EndpointDeployment{parsed.first, parsed.second, args.by.empty() ? CurrentUser() : args.by,
                                   args.comment, 0};
}

// The endpoint as this process serves it: resolved and, for single-model
// endpoints, loaded (so "InService" also means its models load).
Result<serving::EndpointState> Describe(Home& home, const std::string& name) {
  ASSIGN_OR_RETURN(std::unique_ptr<serving::EndpointService> service, home.Endpoints());
  ASSIGN_OR_RETURN(auto endpoint, service->Endpoint(name));
  if (!endpoint->record().multi_model) (void)service->Load(name);  // A failure shows as the model's state.
  for (serving::EndpointState& state : service->Describe()) {
    if (state.name == name) return state;
  }
  return Status::Internal("endpoint '" + name + "' vanished");
}

std::string Versions(const std::vector<int>& versions) {
  std::string out;
  for (int v : versions) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

int Print(const GlobalOptions& global, Home& home, const std::string& name) {
  auto state = Describe(home, name);
  if (!state.ok()) return ReportError(state.status());
  auto promotions = home.metadata()->ListPromotions(name);
  if (!promotions.ok()) return ReportError(promotions.status());
  if (global.json) {
    Json out = serving::ToJson(*state);
    Json history = Json::array();
    for (const auto& p : *promotions) {
      Json models = Json::array();
      for (const auto& m : p.models) models.push_back(store::VersionRef(m.group, m.version));
      history.push_back({{"id", p.id}, {"source", p.source}, {"target", p.target}, {"models", models},
                         {"by", p.promoted_by}, {"at", FormatIso8601(p.promoted_at)}, {"comment", p.comment},
                         {"test", p.test}});
    }
    out["promotions"] = std::move(history);
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::string follow;
  for (const auto& f : state->follow) follow += (follow.empty() ? "" : " ") + f;
  std::cout << "endpoint  " << state->name << (state->multi_model ? " (multi-model)" : "") << "\nstatus    "
            << state->status << "\nfollows   " << (follow.empty() ? "-" : follow) << "\ncapture   "
            << state->capture_percent << "%\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : state->models) {
    rows.push_back({m.group, std::to_string(m.version), m.pinned ? "pinned" : "newest approved",
                    Versions(m.approved), m.state + (m.error.empty() ? "" : ": " + m.error)});
  }
  PrintTable(std::cout, {"MODEL", "VERSION", "BY", "APPROVED", "STATE"}, rows);
  if (!promotions->empty()) {
    std::cout << "\npromotions\n";
    for (const auto& p : *promotions) {
      std::string models;
      for (const auto& m : p.models) models += (models.empty() ? "" : " ") + store::VersionRef(m.group, m.version);
      std::cout << "  " << FormatTime(p.promoted_at) << "  " << p.source << " -> " << p.target << "  " << models
                << "  by " << p.promoted_by << (p.comment.empty() ? "" : ": " + p.comment) << "\n";
    }
  }
  return kExitOk;
}

int Create(const GlobalOptions& global, const EndpointArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  store::EndpointRecord e;
  e.name = args.name;
  e.multi_model = args.multi_model;
  e.follow = args.follow;
  e.capture_percent = args.capture_percent;
  for (const std::string& ref : args.deploy) {
    auto pin = ParsePin(ref, args);
    if (!pin.ok()) return ReportError(pin.status());
    e.deployments.push_back(*pin);
  }
  auto created = EndpointRules(**home).Create(e);
  if (!created.ok()) return ReportError(created.status());
  return Print(global, **home, args.name);
}

int List(const GlobalOptions& global, const EndpointArgs&) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  // Resolution only: nothing is loaded for a listing.
  auto endpoints = (*home)->metadata()->ListEndpoints();
  if (!endpoints.ok()) return ReportError(endpoints.status());
  auto approved = serving::LoadApprovedVersions(*(*home)->metadata());
  if (!approved.ok()) return ReportError(approved.status());
  Json out = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& record : *endpoints) {
    serving::ResolvedEndpoint resolved(record, *approved);
    std::string models, follow;
    for (const auto& [group, served] : resolved.groups()) {
      models += (models.empty() ? "" : " ") + store::VersionRef(group, served.version);
    }
    for (const auto& f : record.follow) follow += (follow.empty() ? "" : " ") + f;
    out.push_back({{"name", record.name}, {"multi_model", record.multi_model}, {"follow", record.follow},
                   {"models", models}});
    rows.push_back({record.name, record.multi_model ? "multi" : "single", follow.empty() ? "-" : follow,
                    models.empty() ? "-" : models});
  }
  if (global.json) {
    PrintJson(std::cout, out);
  } else {
    PrintTable(std::cout, {"ENDPOINT", "KIND", "FOLLOWS", "SERVES"}, rows);
  }
  return kExitOk;
}

int Show(const GlobalOptions& global, const EndpointArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  return Print(global, **home, args.name);
}

int Deploy(const GlobalOptions& global, const EndpointArgs& args) {
  auto pin = ParsePin(args.model, args);
  if (!pin.ok()) return ReportError(pin.status());
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto deployed = EndpointRules(**home).Deploy(args.name, *pin);
  if (!deployed.ok()) return ReportError(deployed.status());
  return Print(global, **home, args.name);
}

int Undeploy(const GlobalOptions& global, const EndpointArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto changed = EndpointRules(**home).Undeploy(args.name, args.model, args.by.empty() ? CurrentUser() : args.by);
  if (!changed.ok()) return ReportError(changed.status());
  return Print(global, **home, args.name);
}

int Delete(const GlobalOptions& global, const EndpointArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  Status deleted = EndpointRules(**home).Delete(args.name);
  if (!deleted.ok()) return ReportError(deleted);
  if (!global.json) std::cout << "deleted endpoint " << args.name << "\n";
  return kExitOk;
}

int Promote(const GlobalOptions& global, const EndpointArgs& args) {
  auto sample = ReadRequest(args.sample);
  if (!sample.ok()) return ReportError(sample.status());
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  auto promotion = serving::CheckPromotion(**service, args.name, args.target, *sample, args.require_capture);
  if (!promotion.ok()) {
    ReportError(promotion.status());
    return promotion.status().code() == StatusCode::kFailedPrecondition ? kExitFailed : kExitBadInput;
  }
  promotion->promoted_by = args.by.empty() ? CurrentUser() : args.by;
  promotion->comment = args.comment;
  promotion->test["sample"] = args.sample.file.empty() ? "--data" : args.sample.file;
  auto source = (*home)->metadata()->GetEndpoint(args.name);
  if (!source.ok()) return ReportError(source.status());
  store::EndpointRecord new_target;  // Used when the target does not exist yet.
  new_target.multi_model = source->multi_model;
  new_target.capture_percent = args.capture_percent;
  auto recorded = EndpointRules(**home).Promote(*promotion, new_target);
  if (!recorded.ok()) return ReportError(recorded.status());
  if (!global.json) {
    size_t rows = promotion->test["rows"].get<size_t>();
    std::cout << "test invocation of " << args.name << " passed (" << rows << (rows == 1 ? " row" : " rows")
              << "); promoted to " << args.target << "\n\n";
  }
  return Print(global, **home, args.target);
}

}  // namespace

void AddEndpointCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<EndpointArgs>();
  CLI::App* cmd = app.add_subcommand("endpoint", "Serving endpoints: create, deploy, promote");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const EndpointArgs&)) {
    sub->callback([&global, action, args, fn] { *action = [&global, args, fn] { return fn(global, *args); }; });
  };
  CLI::App* create = cmd->add_subcommand("create", "Create an endpoint");
  create->add_option("name", args->name, "Endpoint name (letters, digits, '-')")->required();
  create->add_flag("--multi-model", args->multi_model, "Serve many models, loaded on first use");
  create->add_option("--follow", args->follow, "Serve the newest Approved version of groups matching this glob");
  create->add_option("--deploy", args->deploy, "Pin an Approved version, as <group>/<version>");
  create->add_option("--capture-percent", args->capture_percent, "Share of requests to capture (0-100)")
      ->check(CLI::Range(0.0, 100.0));
  create->add_option("--by", args->by, "Who (default: $USER)");
  bind(create, Create);

  bind(cmd->add_subcommand("list", "List endpoints and what they serve"), List);
  CLI::App* show = cmd->add_subcommand("show", "Show an endpoint's models, versions, load state, promotions");
  show->add_option("name", args->name, "Endpoint")->required();
  bind(show, Show);

  CLI::App* deploy = cmd->add_subcommand("deploy", "Pin an Approved version on an endpoint");
  deploy->add_option("name", args->name, "Endpoint")->required();
  deploy->add_option("version", args->model, "<group>/<version>")->required();
  deploy->add_option("--comment", args->comment, "Why");
  deploy->add_option("--by", args->by, "Who (default: $USER)");
  bind(deploy, Deploy);

  CLI::App* undeploy = cmd->add_subcommand("undeploy", "Remove a group's pin from an endpoint");
  undeploy->add_option("name", args->name, "Endpoint")->required();
  undeploy->add_option("group", args->model, "Model group")->required();
  undeploy->add_option("--by", args->by, "Who (default: $USER)");
  bind(undeploy, Undeploy);

  CLI::App* del = cmd->add_subcommand("delete", "Delete an endpoint");
  del->add_option("name", args->name, "Endpoint")->required();
  bind(del, Delete);

  CLI::App* promote = cmd->add_subcommand(
      "promote", "Test a staging endpoint with a sample, then switch production to the versions it serves");
  promote->add_option("source", args->name, "Staging endpoint")->required();
  promote->add_option("target", args->target, "Production endpoint (created when missing)")->required();
  promote->add_option("--sample", args->sample.file, "Sample rows for the test invocation (CSV or JSON; - for stdin)")
      ->required();
  promote->add_option("--input", args->sample.input, "CSV sample rows are 'features' (default) or 'raw'");
  promote->add_flag("--require-capture", args->require_capture, "Refuse unless the source captures data");
  promote->add_option("--capture-percent", args->capture_percent,
                      "Data capture of the target when this promotion creates it (0-100)")
      ->check(CLI::Range(0.0, 100.0));
  promote->add_option("--comment", args->comment, "Why, recorded with the promotion");
  promote->add_option("--by", args->by, "Who (default: $USER)");
  bind(promote, Promote);
}

}  // namespace grove::cli
