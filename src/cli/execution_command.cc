#include <CLI/CLI.hpp>

#include <iostream>
#include <functional>
#include <map>

#include "app/executions.h"
#include "app/record_json.h"
#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/execution_wait.h"
#include "cli/output.h"
#include "cli/trials_command.h"
#include "pipeline/item_template.h"

namespace grove::cli {

namespace {

struct ExecutionArgs {
  std::string id;
  std::string timeout;  // start, wait, retry, rerun: how long to wait (ParseTimeout; empty: no limit).
  bool wait = true;     // start: --no-wait prints the id and returns (through a server).
  std::vector<std::string> steps;  // rerun: the steps that run again.
  bool downstream = false;         // rerun: and what depends on them.
  std::vector<std::string> parameters;  // start: Name=Value.
  std::string step;
  std::string pipeline;
  int limit = 20;
  bool follow = false;
  std::string item;  // steps: one ForEach item's.
  bool all = false;  // steps: no summary of ForEach items.
};

int ListExecutions(const GlobalOptions& global, const ExecutionArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto list = (*client)->ListExecutions(args.pipeline, args.limit);
  if (!list.ok()) return ReportError(list.status());
  if (global.json) {
    PrintJson(std::cout, *list);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& e : *list) {
    rows.push_back({e["id"], e["pipeline"], e["version"].dump(), e["status"], FormatTime(e["started_at"]),
                    FormatDuration(e["duration_ms"]), e["parameters"].dump()});
  }
  PrintTable(std::cout, {"EXECUTION", "PIPELINE", "VERSION", "STATUS", "STARTED", "DURATION", "PARAMETERS"}, rows);
  return kExitOk;
}

int ShowExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto e = (*client)->DescribeExecution(args.id);
  if (!e.ok()) return ReportError(e.status());
  if (global.json) {
    PrintJson(std::cout, *e);
    return kExitOk;
  }
  PrintExecution(*e);
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

// Every step run, or, when a ForEach added many (more than kItemRowsShown),
// the written steps and one line per template step: how many items are in
// each state, and which failed. `item` shows that item's steps only; `all` every one.
constexpr size_t kItemRowsShown = 30;

void PrintSteps(const Json& runs, const std::string& item, bool all) {
  std::vector<std::vector<std::string>> rows;
  auto row = [](const Json& r) -> std::vector<std::string> {
    std::string source = r["cache_hit_source"];
    return {r["step"], r["type"], r["status"], r["attempts"].dump(), FormatDuration(r["duration_ms"]),
            source.empty() ? "-" : (r["metadata"].contains("reused_from") ? "reused:" : "hit:") + source, OutputsText(r["outputs"]), r["failure_reason"]};
  };
  size_t item_rows = 0;
  for (const Json& r : runs) item_rows += !pipeline::SplitItemStepName(r["step"].get<std::string>()).first.empty();
  const bool summarise = !all && item.empty() && item_rows > kItemRowsShown;
  struct Summary {
    std::string type;
    std::map<std::string, int> states;
    std::vector<std::string> failed;
    int hits = 0;
  };
  std::map<std::string, Summary> summaries;
  std::vector<std::string> order;
  for (const Json& r : runs) {
    auto [base, of] = pipeline::SplitItemStepName(r["step"].get<std::string>());
    if (!item.empty()) {
      if (of == item) rows.push_back(row(r));
      continue;
    }
    if (!summarise || base.empty()) {
      rows.push_back(row(r));
      continue;
    }
    if (!summaries.count(base)) order.push_back(base);
    Summary& s = summaries[base];
    s.type = r["type"];
    ++s.states[r["status"].get<std::string>()];
    if (r["status"] == store::kFailed) s.failed.push_back(of);
    s.hits += !r["cache_hit_source"].get<std::string>().empty();
  }
  for (const std::string& base : order) {
    const Summary& s = summaries[base];
    std::string states;
    for (const auto& [state, n] : s.states) states += (states.empty() ? "" : " ") + state + ":" + std::to_string(n);
    std::string failed;
    for (size_t i = 0; i < s.failed.size() && i < 5; ++i) failed += (i ? ", " : "failed: ") + s.failed[i];
    if (s.failed.size() > 5) failed += " (+" + std::to_string(s.failed.size() - 5) + ")";
    rows.push_back({base + "[*]", s.type, states, "-", "-", s.hits ? "hits:" + std::to_string(s.hits) : "-", "",
                    failed});
  }
  PrintTable(std::cout, {"STEP", "TYPE", "STATUS", "ATTEMPTS", "DURATION", "CACHE", "OUTPUTS", "REASON"}, rows);
  if (summarise) {
    std::cout << item_rows << " item steps summarised per template step (--item NAME for one item's, --all for "
                              "every one)\n";
  }
}

// With --follow, prints again whenever something changes (through a server:
// at each of the execution's events) until the execution ends.
int ExecutionSteps(const GlobalOptions& global, const ExecutionArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  if (args.follow) {
    if (Status s = (*client)->Watch(args.id); !s.ok()) return ReportError(s);
  }
  while (true) {
    auto e = (*client)->DescribeExecution(args.id);
    if (!e.ok()) return ReportError(e.status());
    auto runs = (*client)->ExecutionSteps(args.id);
    if (!runs.ok()) return ReportError(runs.status());
    if (global.json) {
      PrintJson(std::cout, *runs);
    } else {
      std::cout << "execution " << (*e)["id"].get<std::string>() << "  " << (*e)["status"].get<std::string>() << "\n";
      PrintSteps(*runs, args.item, args.all);
    }
    if (!args.follow || !IsRunning(*e)) return kExitOk;
    if (Status s = (*client)->WaitForChange(); !s.ok()) return ReportError(s);
    std::cout << "\n";
  }
}

// The parsed --timeout; 0 when not given.
Result<std::chrono::milliseconds> TimeoutOf(const ExecutionArgs& args) {
  if (args.timeout.empty()) return std::chrono::milliseconds(0);
  return ParseTimeout(args.timeout);
}

Result<std::map<std::string, std::string>> ParametersOf(const ExecutionArgs& args) {
  std::map<std::string, std::string> parameters;
  for (const std::string& p : args.parameters) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return Status::InvalidArgument("-p '" + p + "': expected Name=Value");
    parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return parameters;
}

// Starts the latest stored version of a pipeline and waits for its end (exit
// codes: execution_wait.h); with --no-wait (through a server) prints its id.
// On a data folder the execution runs in this process: a timeout stops it.
int StartExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto parameters = ParametersOf(args);
  if (!parameters.ok()) return ReportError(parameters.status());
  auto timeout = TimeoutOf(args);
  if (!timeout.ok()) return ReportError(timeout.status());
  const bool remote = !ServerUrl(global).empty();
  if (!args.wait && !remote) {
    return ReportError(Status::InvalidArgument(
        "--no-wait needs a server (GROVE_URL): on a data folder the execution runs in this command's process"));
  }
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto started = (*client)->StartExecution(args.pipeline, *parameters);
  if (!started.ok()) return ReportError(started.status());
  const std::string id = (*started)["id"];
  if (!args.wait) {
    if (global.json) PrintJson(std::cout, *started);
    else std::cout << id << "\n";
    return kExitOk;
  }
  if (!global.json) std::cout << "execution " << id << " started\n" << std::flush;
  return WaitAndReport(global, **client, id, *timeout, /*runs_here=*/!remote);  // Here: the client's end stops it.
}

// Waits for an execution that runs elsewhere (a server, another command) to end.
int WaitExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto timeout = TimeoutOf(args);
  if (!timeout.ok()) return ReportError(timeout.status());
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  return WaitAndReport(global, **client, args.id, *timeout, /*runs_here=*/false);
}

int ExecutionLogs(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto logs = app::Executions(**home).Logs(args.id, args.step);
  if (!logs.ok()) return ReportError(logs.status());
  for (const app::StepLog& log : *logs) {
    std::cout << "==> " << log.run.step_name << " (" << log.run.status << ")\n" << log.text;
  }
  return kExitOk;
}

std::string Size(int64_t bytes, bool directory) { return directory ? "dir" : std::to_string(bytes); }

int ExecutionOutputs(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto outputs = app::Executions(**home).Outputs(args.id, args.step);
  if (!outputs.ok()) return ReportError(outputs.status());
  if (global.json) {
    PrintJson(std::cout, app::ToJsonArray(*outputs));
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const app::StepOutput& o : *outputs) {
    rows.push_back({o.step, o.name, Size(o.artifact.size_bytes, o.artifact.is_directory), o.artifact.digest});
  }
  PrintTable(std::cout, {"STEP", "OUTPUT", "BYTES", "ARTIFACT"}, rows);
  if (!rows.empty()) std::cout << "\nsee one with: grove artifact show|cat|get <artifact>\n";
  return kExitOk;
}

int Trials(const GlobalOptions& global, const ExecutionArgs& args) { return ExecutionTrials(global, args.id, args.step); }

// Waits here for `started`, which `executions` runs (WaitHere), and prints it as "execution X (<what>) ...".
int WaitAndPrintHere(const GlobalOptions& global, app::Executions& executions, const std::string& started,
                     const std::string& what, const ExecutionArgs& args) {
  auto timeout = TimeoutOf(args);
  if (!timeout.ok()) return ReportError(timeout.status());
  auto ended = WaitHere(executions, started, *timeout);
  if (!ended.ok()) return ReportError(ended.status());
  const store::ExecutionRecord& result = ended->record;
  if (global.json) {
    PrintJson(std::cout, app::ToJson(result));
  } else {
    std::cout << "execution " << result.id << " (" << what << ") " << result.status << " in "
              << FormatDuration(result.started_at, result.ended_at) << "\n";
    if (!result.failure_reason.empty()) std::cout << "  reason: " << result.failure_reason << "\n";
  }
  return ended->exit_code;
}

// Opens the data folder with an executor, starts an execution there with `start` and waits for it here.
int StartHere(const GlobalOptions& global, const ExecutionArgs& args, const std::string& what,
              const std::function<Result<app::StartedExecution>(app::Executions&)>& start) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto executor = (*home)->NewExecutor(0);
  if (!executor.ok()) return ReportError(executor.status());
  app::Executions executions(**home, executor->get());
  auto started = start(executions);
  if (!started.ok()) return ReportError(started.status());
  if (!global.json) std::cout << "execution " << started->id << " started (" << what << ")\n" << std::flush;
  return WaitAndPrintHere(global, executions, started->id, what, args);
}

// Retries a failed execution here and waits for the retry.
int RetryExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  return StartHere(global, args, "retry of " + args.id,
                   [&](app::Executions& executions) { return executions.Retry(args.id); });
}

// Re-runs chosen steps of an ended execution here (Executions::Rerun) and waits for it.
int RerunExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  app::RerunRequest request;
  for (const std::string& list : args.steps) {
    for (size_t at = 0; at <= list.size();) {
      size_t comma = std::min(list.find(',', at), list.size());
      if (comma > at) request.steps.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
  }
  request.downstream = args.downstream;
  auto parameters = ParametersOf(args);
  if (!parameters.ok()) return ReportError(parameters.status());
  request.parameters = *parameters;
  return StartHere(global, args, "re-run of " + args.id,
                   [&](app::Executions& executions) { return executions.Rerun(args.id, request); });
}

int StopExecution(const GlobalOptions& global, const ExecutionArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  Status s = app::Executions(**home).Stop(args.id);
  if (!s.ok()) return ReportError(s);
  std::cout << "stopping " << args.id << "\n";
  return kExitOk;
}

}  // namespace

void AddExecutionCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<ExecutionArgs>();
  CLI::App* cmd = app.add_subcommand("execution", "Start, inspect and stop executions");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const ExecutionArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  CLI::App* list = cmd->add_subcommand("list", "List executions, newest first");
  list->add_option("--pipeline", args->pipeline, "Only this pipeline's (it must exist)");
  list->add_option("--limit", args->limit, "At most this many, 1 or more (default 20)");
  bind(list, ListExecutions);
  CLI::App* start = cmd->add_subcommand(
      "start", "Start the latest stored version of a pipeline (grove pipeline create) and wait for its end");
  start->add_option("pipeline", args->pipeline, "Pipeline name")->required();
  start->add_option("-p,--param", args->parameters, "Parameter as Name=Value (repeatable)");
  start->add_option("--timeout", args->timeout, "Give up waiting after this long, e.g. 30m (exit 5)");
  start->add_flag("--wait,!--no-wait", args->wait,
                  "Wait for the end (default); --no-wait prints the id and returns (through a server only)");
  bind(start, StartExecution);
  CLI::App* wait = cmd->add_subcommand("wait", "Wait for an execution to end; the exit code says how (docs/cli.md)");
  wait->add_option("id", args->id, "Execution id")->required();
  wait->add_option("--timeout", args->timeout, "Give up after this long, e.g. 30m (exit 5; the execution goes on)");
  bind(wait, WaitExecution);
  CLI::App* show = cmd->add_subcommand("show", "Show an execution");
  show->add_option("id", args->id, "Execution id")->required();
  bind(show, ShowExecution);
  CLI::App* steps = cmd->add_subcommand("steps", "Show each step's status, duration, cache hit and outputs");
  steps->add_option("id", args->id, "Execution id")->required();
  steps->add_flag("-f,--follow", args->follow, "Refresh until the execution ends");
  steps->add_option("--item", args->item, "Only this ForEach item's steps");
  steps->add_flag("--all", args->all, "Every step, also when a ForEach added many (default: a summary)");
  bind(steps, ExecutionSteps);
  CLI::App* logs = cmd->add_subcommand("logs", "Print step logs");
  logs->add_option("id", args->id, "Execution id")->required();
  logs->add_option("step", args->step, "Only this step");
  bind(logs, ExecutionLogs);
  CLI::App* outputs = cmd->add_subcommand("outputs", "List the artifacts the steps produced (full digests)");
  outputs->add_option("id", args->id, "Execution id")->required();
  outputs->add_option("step", args->step, "Only this step");
  bind(outputs, ExecutionOutputs);
  CLI::App* trials = cmd->add_subcommand("trials", "List the tuning trials of an execution, best marked");
  trials->add_option("id", args->id, "Execution id")->required();
  trials->add_option("--step", args->step, "Only this step's trials");
  bind(trials, Trials);
  CLI::App* stop = cmd->add_subcommand("stop", "Ask a running execution to stop");
  stop->add_option("id", args->id, "Execution id")->required();
  bind(stop, StopExecution);
  CLI::App* retry = cmd->add_subcommand(
      "retry", "Run a Failed or Stopped execution again from its failed step (what succeeded comes from the cache)");
  retry->add_option("id", args->id, "Execution id")->required();
  retry->add_option("--timeout", args->timeout, "Stop the retry after this long, e.g. 30m (exit 5)");
  bind(retry, RetryExecution);
  CLI::App* rerun = cmd->add_subcommand(
      "rerun", "Run chosen steps of an ended execution again, reusing its outputs for the others (selective execution)");
  rerun->add_option("id", args->id, "Execution id (the source: its outputs are reused)")->required();
  rerun->add_option("--steps", args->steps, "The steps that run again, comma-separated: A,B")->required();
  rerun->add_flag("--downstream", args->downstream, "Also run every step that depends on them");
  rerun->add_option("-p,--param", args->parameters, "Parameter as Name=Value, overriding the source's (repeatable)");
  rerun->add_option("--timeout", args->timeout, "Stop the re-run after this long, e.g. 30m (exit 5)");
  bind(rerun, RerunExecution);
}

}  // namespace grove::cli
