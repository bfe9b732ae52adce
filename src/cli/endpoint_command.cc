#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/endpoints.h"
#include "app/record_json.h"
#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/endpoint_traffic.h"
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
  RolloutOptions rollout;  // deploy --canary / --linear
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

std::string Strings(const Json& items) {
  std::vector<std::string> out;
  for (const Json& item : items) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return Joined(out);
}

void PrintPromotions(const Json& promotions) {
  if (promotions.empty()) return;
  std::cout << "\npromotions\n";
  for (const Json& p : promotions) {
    std::string comment = p["comment"];
    std::cout << "  " << FormatTime(p["at"]) << "  " << p["source"].get<std::string>() << " -> "
              << p["target"].get<std::string>() << "  " << Strings(p["models"]) << "  by " << p["by"].get<std::string>()
              << (comment.empty() ? "" : ": " + comment) << "\n";
  }
}

std::string Fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

// Live variants with their weight share and counters; shadows with their comparison.
void PrintVariants(const Json& variants) {
  if (variants.empty()) return;
  double total = 0;
  for (const Json& v : variants) total += v.value("weight", 0.0);
  std::vector<std::vector<std::string>> rows;
  for (const Json& v : variants) {
    std::string traffic = v.value("shadow", false)
                              ? "shadow"
                              : Fixed(total > 0 ? 100 * v["weight"].get<double>() / total : 0, 1) + "%";
    std::string compared = "-";
    if (v.contains("comparison")) {
      const Json& c = v["comparison"];
      compared = Fixed(100 * c["agreement_rate"].get<double>(), 1) + "% agree over " +
                 std::to_string(c["compared_rows"].get<uint64_t>()) + " rows, mean |diff| " +
                 Fixed(c["mean_abs_difference"].get<double>(), 6);
    }
    rows.push_back({v["name"], v["model"], traffic, std::to_string(v["requests"].get<uint64_t>()),
                    std::to_string(v["errors"].get<uint64_t>()), Fixed(v["p99_ms"].get<double>(), 3), compared});
  }
  std::cout << "\n";
  PrintTable(std::cout, {"VARIANT", "MODEL", "TRAFFIC", "REQUESTS", "ERRORS", "P99 MS", "SHADOW COMPARISON"}, rows);
}

// Prints an endpoint from its JSON view (with "promotions").
int PrintEndpointJson(const GlobalOptions& global, const Result<Json>& described) {
  if (!described.ok()) return ReportError(described.status());
  const Json& e = *described;
  if (global.json) {
    PrintJson(std::cout, e);
    return kExitOk;
  }
  std::cout << "endpoint  " << e["name"].get<std::string>() << (e["multi_model"].get<bool>() ? " (multi-model)" : "")
            << "\nstatus    " << e["status"].get<std::string>() << "\nfollows   " << Strings(e["follow"])
            << "\ncapture   " << e["capture_percent"].get<double>() << "%\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& m : e["models"]) {
    std::vector<int> approved = m["approved_versions"].get<std::vector<int>>();
    std::string state = m["state"];
    if (m.contains("error")) state += ": " + m["error"].get<std::string>();
    rows.push_back({m["name"], m["version"].dump(), m["pinned"].get<bool>() ? "pinned" : "newest approved",
                    Versions(approved), state});
  }
  PrintTable(std::cout, {"MODEL", "VERSION", "BY", "APPROVED", "STATE"}, rows);
  PrintVariants(e.value("variants", Json::array()));
  PrintPromotions(e["promotions"]);
  return kExitOk;
}

int Create(const GlobalOptions& global, const EndpointArgs& args) {
  app::EndpointSpec spec{args.name, args.multi_model, args.follow, args.deploy, args.capture_percent, By(args),
                         args.comment};
  return WithEndpoints(global, [&](app::Endpoints& e) { return PrintEndpoint(global, e.Create(spec)); });
}

int List(const GlobalOptions& global, const EndpointArgs&) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto states = (*client)->ListEndpoints();  // Resolution only: nothing is loaded for a listing.
  if (!states.ok()) return ReportError(states.status());
  if (global.json) {
    PrintJson(std::cout, *states);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& state : *states) {
    std::vector<std::string> models;
    for (const Json& m : state["models"]) models.push_back(store::VersionRef(m["name"], m["version"].get<int>()));
    rows.push_back({state["name"], state["multi_model"].get<bool>() ? "multi" : "single", Strings(state["follow"]),
                    Joined(models)});
  }
  PrintTable(std::cout, {"ENDPOINT", "KIND", "FOLLOWS", "SERVES"}, rows);
  return kExitOk;
}

int Show(const GlobalOptions& global, const EndpointArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return PrintEndpointJson(global, (*client)->DescribeEndpoint(args.name));
}

int Deploy(const GlobalOptions& global, const EndpointArgs& args) {
  if (args.rollout.requested()) return StartRollout(global, args.name, args.model, By(args), args.rollout);
  return WithEndpoints(
      global, [&](app::Endpoints& e) { return PrintEndpoint(global, e.Deploy(args.name, args.model, By(args), args.comment)); });
}

int Undeploy(const GlobalOptions& global, const EndpointArgs& args) {
  return WithEndpoints(global,
                       [&](app::Endpoints& e) { return PrintEndpoint(global, e.Undeploy(args.name, args.model, By(args))); });
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
    return PrintEndpoint(global, e.Describe(args.target));
  });
}

}  // namespace

int PrintEndpoint(const GlobalOptions& global, const Result<app::EndpointDescription>& described) {
  if (!described.ok()) return ReportError(described.status());
  return PrintEndpointJson(global, app::ToJson(*described));
}

int WithEndpoints(const GlobalOptions& global, const std::function<int(app::Endpoints&)>& fn) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  app::Endpoints endpoints(**home, **service);
  return fn(endpoints);
}

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

  CLI::App* deploy = cmd->add_subcommand(
      "deploy", "Pin an Approved version on an endpoint, at once or as a canary or linear rollout");
  deploy->add_option("name", args->name, "Endpoint")->required();
  deploy->add_option("version", args->model, "<group>/<version>")->required();
  deploy->add_option("--comment", args->comment, "Why");
  deploy->add_option("--by", args->by, "Who (default: $USER)");
  AddRolloutOptions(deploy, &args->rollout);
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

  AddEndpointTrafficCommands(cmd, global, action);
}

}  // namespace grove::cli
