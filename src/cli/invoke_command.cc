#include <CLI/CLI.hpp>

#include <iostream>

#include "app/endpoints.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/request_input.h"

namespace grove::cli {

namespace {

struct InvokeArgs {
  std::string endpoint;
  std::string model;
  bool csv = false;
  RequestInput request;
};

// The CLI's own words for a request that must name its model: the
// service's message names the JSON field and the HTTP header instead.
Status CheckModelNamed(app::Endpoints& endpoints, const InvokeArgs& args, const serving::PredictRequest& request) {
  if (!args.model.empty() || !request.model.empty()) return Status::OK();
  ASSIGN_OR_RETURN(app::EndpointDescription described, endpoints.Describe(args.endpoint, /*load=*/false));
  if (described.state.models.size() <= 1) return Status::OK();
  std::string models;
  for (const auto& m : described.state.models) {
    models += (models.empty() ? "" : ", ") + store::VersionRef(m.group, m.version);
  }
  return Status::InvalidArgument("endpoint '" + args.endpoint + "' serves several models; name one with --model " +
                                 "GROUP or --model GROUP/N (models: " + models + ")");
}

// Predicts in this process, exactly as `grove server` started now would
// answer the same request.
int Invoke(const GlobalOptions& global, const InvokeArgs& args) {
  auto request = ReadRequest(args.request);
  if (!request.ok()) return ReportError(request.status());
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  app::Endpoints endpoints(**home, **service);
  if (Status named = CheckModelNamed(endpoints, args, *request); !named.ok()) return ReportError(named);
  auto answer = endpoints.Invoke(args.endpoint, args.model, *request);
  if (!answer.ok()) return ReportError(answer.status());
  if (args.csv) {
    std::cout << serving::EncodePredictions(answer->predictions, serving::ResponseFormat::kCsv);
    return kExitOk;
  }
  Json body = Json::parse(serving::EncodePredictions(answer->predictions, serving::ResponseFormat::kJson));
  body["model"] = answer->model_key;
  PrintJson(std::cout, body);
  return kExitOk;
}

}  // namespace

void AddInvokeCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<InvokeArgs>();
  CLI::App* cmd = app.add_subcommand("invoke", "Predict with an endpoint's model, in this process");
  cmd->add_option("endpoint", args->endpoint, "Endpoint")->required();
  cmd->add_option("--model", args->model, "Model: a group or <group>/<version> (default: the endpoint's only one)");
  cmd->add_option("--data", args->request.data, "The rows: headerless CSV, or a JSON body");
  cmd->add_option("--file", args->request.file, "A file holding the rows (- for stdin)");
  cmd->add_option("--input", args->request.input, "CSV rows are 'features' (default) or 'raw' (training columns)");
  cmd->add_option("--output", args->request.output, "'probability' (default) or 'label'");
  cmd->add_flag("--csv", args->csv, "Print predictions as CSV");
  cmd->callback([&global, action, args] { *action = [&global, args] { return Invoke(global, *args); }; });
}

}  // namespace grove::cli
