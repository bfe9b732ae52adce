#include <CLI/CLI.hpp>

#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/record_json.h"
#include "cli/trials_command.h"
#include "common/file_util.h"

namespace grove::cli {

namespace {

struct ExecutionArgs {
  std::string id;
  std::string step;
  std::string pipeline;
  int limit = 20;
  bool follow = false;
};

int ListExecutions(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto list = (*home)->metadata()->ListExecutions(args.pipeline, args.limit);
  if (!list.ok()) return ReportError(list.status());
  if (global.json) {
    Json out = Json::array();
    for (const auto& e : *list) out.push_back(ToJson(e));
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : *list) {
    rows.push_back({e.id, e.pipeline, std::to_string(e.version), e.status, FormatTime(e.started_at),
                    FormatDuration(e.started_at, e.ended_at), e.parameters.dump()});
  }
  PrintTable(std::cout, {"EXECUTION", "PIPELINE", "VERSION", "STATUS", "STARTED", "DURATION", "PARAMETERS"}, rows);
  return kExitOk;
}

int ShowExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto e = (*home)->metadata()->GetExecution(args.id);
  if (!e.ok()) return ReportError(e.status());
  if (global.json) {
    PrintJson(std::cout, ToJson(*e));
    return kExitOk;
  }
  std::cout << "execution   " << e->id << "\npipeline    " << e->pipeline << " v" << e->version << "\nstatus      "
            << e->status << "\nstarted     " << FormatTime(e->started_at) << "\nduration    "
            << FormatDuration(e->started_at, e->ended_at) << "\nparameters  " << e->parameters.dump() << "\n";
  if (!e->failure_reason.empty()) std::cout << "reason      " << e->failure_reason << "\n";
  return kExitOk;
}

std::string OutputsText(const Json& outputs) {
  std::string text;
  for (const auto& [name, digest] : outputs.items()) {
    if (!text.empty()) text += " ";
    text += name + "=" + digest.get<std::string>().substr(0, 12);
  }
  return text;
}

void PrintSteps(const std::vector<store::StepRunRecord>& runs) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : runs) {
    rows.push_back({r.step_name, r.step_type, r.status, std::to_string(r.attempts),
                    FormatDuration(r.started_at, r.ended_at),
                    r.cache_hit_source.empty() ? "-" : "hit:" + r.cache_hit_source, OutputsText(r.outputs),
                    r.failure_reason});
  }
  PrintTable(std::cout, {"STEP", "TYPE", "STATUS", "ATTEMPTS", "DURATION", "CACHE", "OUTPUTS", "REASON"}, rows);
}

int ExecutionSteps(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto* metadata = (*home)->metadata();
  while (true) {
    auto e = metadata->GetExecution(args.id);
    if (!e.ok()) return ReportError(e.status());
    auto runs = metadata->ListStepRuns(args.id);
    if (!runs.ok()) return ReportError(runs.status());
    bool running = e->status == "Executing" || e->status == "Stopping";
    if (global.json) {
      Json out = Json::array();
      for (const auto& r : *runs) out.push_back(ToJson(r));
      PrintJson(std::cout, out);
    } else {
      std::cout << "execution " << e->id << "  " << e->status << "\n";
      PrintSteps(*runs);
    }
    if (!args.follow || !running) return kExitOk;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::cout << "\n";
  }
}

int ExecutionLogs(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  auto runs = (*home)->metadata()->ListStepRuns(args.id);
  if (!runs.ok()) return ReportError(runs.status());
  bool found = false;
  for (const auto& r : *runs) {
    if (!args.step.empty() && r.step_name != args.step) continue;
    found = true;
    std::cout << "==> " << r.step_name << " (" << r.status << ")\n";
    Result<std::string> text = Status::NotFound("");
    if (!r.log_digest.empty()) {
      auto path = (*home)->artifacts()->LocalPath(r.log_digest);
      if (path.ok()) text = ReadFile(*path);
    } else {
      text = ReadFile((*home)->root() / "work" / args.id / r.step_name / "log");
    }
    if (text.ok()) std::cout << *text;
  }
  if (!found && !args.step.empty()) {
    return ReportError(Status::NotFound("execution " + args.id + " has no step run '" + args.step + "'"));
  }
  return kExitOk;
}

int Trials(const GlobalOptions& global, const ExecutionArgs& args) { return ExecutionTrials(global, args.id, args.step); }

int StopExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = Home::OpenFlag(global.home);
  if (!home.ok()) return ReportError(home.status());
  Status s = (*home)->metadata()->RequestStop(args.id);
  if (!s.ok()) return ReportError(s);
  std::cout << "stopping " << args.id << "\n";
  return kExitOk;
}

}  // namespace

void AddExecutionCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<ExecutionArgs>();
  CLI::App* cmd = app.add_subcommand("execution", "Inspect and stop executions");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const ExecutionArgs&)) {
    sub->callback([&global, action, args, fn] { *action = [&global, args, fn] { return fn(global, *args); }; });
  };
  CLI::App* list = cmd->add_subcommand("list", "List executions, newest first");
  list->add_option("--pipeline", args->pipeline, "Only this pipeline's");
  list->add_option("--limit", args->limit, "At most this many (default 20)");
  bind(list, ListExecutions);
  CLI::App* show = cmd->add_subcommand("show", "Show an execution");
  show->add_option("id", args->id, "Execution id")->required();
  bind(show, ShowExecution);
  CLI::App* steps = cmd->add_subcommand("steps", "Show each step's status, duration, cache hit and outputs");
  steps->add_option("id", args->id, "Execution id")->required();
  steps->add_flag("-f,--follow", args->follow, "Refresh until the execution ends");
  bind(steps, ExecutionSteps);
  CLI::App* logs = cmd->add_subcommand("logs", "Print step logs");
  logs->add_option("id", args->id, "Execution id")->required();
  logs->add_option("step", args->step, "Only this step");
  bind(logs, ExecutionLogs);
  CLI::App* trials = cmd->add_subcommand("trials", "List the tuning trials of an execution, best marked");
  trials->add_option("id", args->id, "Execution id")->required();
  trials->add_option("--step", args->step, "Only this step's trials");
  bind(trials, Trials);
  CLI::App* stop = cmd->add_subcommand("stop", "Ask a running execution to stop");
  stop->add_option("id", args->id, "Execution id")->required();
  bind(stop, StopExecution);
}

}  // namespace grove::cli
