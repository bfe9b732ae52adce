#include <CLI/CLI.hpp>

#include <iostream>

#include "app/endpoints.h"
#include "app/record_json.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/request_input.h"

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

std::string By(const EndpointArgs& args) { return args.by.empty() ? CurrentUser() : args.by; }

std::string Versions(const std::vector<int>& versions) {
  std::string out;
  for (int v : versions) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out.empty() ? "-" : out;
}

void PrintPromotions(const std::vector<store::PromotionRecord>& promotions) {
  if (promotions.empty()) return;
  std::cout << "\npromotions\n";
  for (const auto& p : promotions) {
    std::vector<std::string> models;
    for (const auto& m : p.models) models.push_back(store::VersionRef(m.group, m.version));
    std::cout << "  " << FormatTime(p.promoted_at) << "  " << p.source << " -> " << p.target << "  "
              << Joined(models) << "  by " << p.promoted_by << (p.comment.empty() ? "" : ": " + p.comment) << "\n";
  }
}

int Print(const GlobalOptions& global, const Result<app::EndpointDescription>& described) {
  if (!described.ok()) return ReportError(described.status());
  const serving::EndpointState& state = described->state;
  if (global.json) {
    PrintJson(std::cout, app::ToJson(*described));
    return kExitOk;
  }
  std::cout << "endpoint  " << state.name << (state.multi_model ? " (multi-model)" : "") << "\nstatus    "
            << state.status << "\nfollows   " << Joined(state.follow) << "\ncapture   " << state.capture_percent
            << "%\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : state.models) {
    rows.push_back({m.group, std::to_string(m.version), m.pinned ? "pinned" : "newest approved",
                    Versions(m.approved), m.state + (m.error.empty() ? "" : ": " + m.error)});
  }
  PrintTable(std::cout, {"MODEL", "VERSION", "BY", "APPROVED", "STATE"}, rows);
  PrintPromotions(described->promotions);
  return kExitOk;
}

// Runs `fn` with the endpoint use cases over the data folder, as a one-shot
// process serves it; returns fn's exit code.
int WithEndpoints(const GlobalOptions& global, const std::function<int(app::Endpoints&)>& fn) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  app::Endpoints endpoints(**home, **service);
  return fn(endpoints);
}

int Create(const GlobalOptions& global, const EndpointArgs& args) {
  app::EndpointSpec spec{args.name, args.multi_model, args.follow, args.deploy, args.capture_percent, By(args),
                         args.comment};
  return WithEndpoints(global, [&](app::Endpoints& e) { return Print(global, e.Create(spec)); });
}

int List(const GlobalOptions& global, const EndpointArgs&) {
  return WithEndpoints(global, [&](app::Endpoints& e) {
    std::vector<serving::EndpointState> states = e.List();  // Resolution only: nothing is loaded for a listing.
    if (global.json) {
      PrintJson(std::cout, app::ToJsonArray(states));
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const serving::EndpointState& state : states) {
      std::vector<std::string> models;
      for (const auto& m : state.models) models.push_back(store::VersionRef(m.group, m.version));
      rows.push_back({state.name, state.multi_model ? "multi" : "single", Joined(state.follow), Joined(models)});
    }
    PrintTable(std::cout, {"ENDPOINT", "KIND", "FOLLOWS", "SERVES"}, rows);
    return kExitOk;
  });
}

int Show(const GlobalOptions& global, const EndpointArgs& args) {
  return WithEndpoints(global, [&](app::Endpoints& e) { return Print(global, e.Describe(args.name)); });
}

int Deploy(const GlobalOptions& global, const EndpointArgs& args) {
  return WithEndpoints(
      global, [&](app::Endpoints& e) { return Print(global, e.Deploy(args.name, args.model, By(args), args.comment)); });
}

int Undeploy(const GlobalOptions& global, const EndpointArgs& args) {
  return WithEndpoints(global,
                       [&](app::Endpoints& e) { return Print(global, e.Undeploy(args.name, args.model, By(args))); });
}

int Delete(const GlobalOptions& global, const EndpointArgs& args) {
  return WithEndpoints(global, [&](app::Endpoints& e) {
    Status deleted = e.Delete(args.name);
    if (!deleted.ok()) return ReportError(deleted);
    if (!global.json) std::cout << "deleted endpoint " << args.name << "\n";
    return kExitOk;
  });
}

int Promote(const GlobalOptions& global, const EndpointArgs& args) {
  auto sample = ReadRequest(args.sample);
  if (!sample.ok()) return ReportError(sample.status());
  app::PromotionRequest request{args.name,     args.target,          *sample,
                                args.sample.file.empty() ? "--data" : args.sample.file,
                                args.require_capture, args.capture_percent, By(args), args.comment};
  return WithEndpoints(global, [&](app::Endpoints& e) {
    auto promotion = e.Promote(request);
    if (!promotion.ok()) {
      ReportError(promotion.status());
      return promotion.status().code() == StatusCode::kFailedPrecondition ? kExitFailed : kExitBadInput;
    }
    if (!global.json) {
      size_t rows = promotion->test["rows"].get<size_t>();
      std::cout << "test invocation of " << args.name << " passed (" << rows << (rows == 1 ? " row" : " rows")
                << "); promoted to " << args.target << "\n\n";
    }
    return Print(global, e.Describe(args.target));
  });
}

}  // namespace

void AddEndpointCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<EndpointArgs>();
  CLI::App* cmd = app.add_subcommand("endpoint", "Serving endpoints: create, deploy, promote");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const EndpointArgs&)) {
    Bind(sub, global, action, args, fn);
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
