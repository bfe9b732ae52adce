#include <CLI/CLI.hpp>

#include <iostream>

#include "app/functions.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct LambdaArgs {
  std::string name;
  std::string command;
  std::string url;
  std::string region = "us-east-1";
};

// The ARN a pipeline definition names the function by (any region and account resolve to it).
std::string FunctionArn(const std::string& region, const std::string& name) {
  return "arn:aws:lambda:" + region + ":123456789012:function:" + name;
}

Json FunctionJson(const store::FunctionRecord& f, const std::string& region) {
  Json out = {{"name", f.name}, {"arn", FunctionArn(region, f.name)}, {"updated_at", FormatIso8601(f.updated_at)}};
  if (!f.command.empty()) out["command"] = f.command;
  if (!f.url.empty()) out["url"] = f.url;
  return out;
}

int Create(const GlobalOptions& global, const LambdaArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto function = app::Functions(**home).Create(args.name, args.command, args.url);
  if (!function.ok()) return ReportError(function.status());
  if (global.json) {
    PrintJson(std::cout, FunctionJson(*function, args.region));
  } else {
    std::cout << "Lambda function " << function->name << " -> "
              << (function->url.empty() ? function->command : function->url) << "\nARN for pipeline definitions: "
              << FunctionArn(args.region, function->name) << "\n";
  }
  return kExitOk;
}

int List(const GlobalOptions& global, const LambdaArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto functions = app::Functions(**home).List();
  if (!functions.ok()) return ReportError(functions.status());
  if (global.json) {
    Json out = Json::array();
    for (const store::FunctionRecord& f : *functions) out.push_back(FunctionJson(f, args.region));
    PrintJson(std::cout, {{"functions", out}});
    return kExitOk;
  }
  if (functions->empty()) {
    std::cout << "no Lambda functions (grove lambda create NAME --command CMD | --url URL)\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const store::FunctionRecord& f : *functions) {
    rows.push_back({f.name, f.url.empty() ? "command" : "url", f.url.empty() ? f.command : f.url});
  }
  PrintTable(std::cout, {"NAME", "KIND", "TARGET"}, rows);
  return kExitOk;
}

int Delete(const GlobalOptions& global, const LambdaArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  if (Status s = app::Functions(**home).Delete(args.name); !s.ok()) return ReportError(s);
  if (!global.json) std::cout << "deleted Lambda function " << args.name << "\n";
  return kExitOk;
}

}  // namespace

void AddLambdaCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<LambdaArgs>();
  CLI::App* cmd = app.add_subcommand("lambda", "Manage the Lambda functions SageMaker pipelines' Lambda steps call");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const LambdaArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  CLI::App* create = cmd->add_subcommand(
      "create", "Create or replace a function: a command (the step's Arguments as JSON on stdin, its answer as JSON "
                "on stdout) or a URL (the Arguments POSTed as JSON)");
  create->add_option("name", args->name, "The function's name, as the last part of its ARN")->required();
  auto* command = create->add_option("--command", args->command, "Run with /bin/sh -c");
  auto* url = create->add_option("--url", args->url, "http:// or https:// URL to POST to");
  command->excludes(url);
  url->excludes(command);
  create->add_option("--region", args->region, "The region of the ARN printed (default us-east-1)");
  bind(create, Create);
  bind(cmd->add_subcommand("list", "List functions"), List);
  CLI::App* remove = cmd->add_subcommand("delete", "Delete a function");
  remove->add_option("name", args->name, "The function's name")->required();
  bind(remove, Delete);
}

}  // namespace grove::cli
