#include <CLI/CLI.hpp>

#include <iostream>
#include <mutex>

#include "app/executions.h"
#include "app/record_json.h"
#include "common/file_util.h"
#include "pipeline/sagemaker_json_reader.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/execution_wait.h"
#include "cli/executor_flags.h"
#include "cli/local_s3.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct RunOptions {
  std::string file;
  std::vector<std::string> parameters;
  int max_parallel = 0;
  app::LauncherOptions launcher;
  bool quiet = false;
  bool wait = true;     // --no-wait: start on the server, print the id, return.
  std::string timeout;  // --timeout: ParseTimeout's form; empty: no limit.
};

Result<std::map<std::string, std::string>> ParseAssignments(const std::vector<std::string>& items) {
  std::map<std::string, std::string> out;
  for (const std::string& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("-p '" + item + "': expected Name=Value, e.g. -p MseThreshold=5.5");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

// Prints one line per step status change, as they happen.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled) : enabled_(enabled) {}
  void OnStep(const store::StepRunRecord& run) {
    if (!enabled_ || run.status == "Starting") return;
    std::lock_guard<std::mutex> lock(mu_);
    std::string& last = last_status_[run.step_name];
    if (last == run.status) return;  // Only changes: a new attempt re-records Executing.
    last = run.status;
    std::string line = "  " + run.step_name;
    line.resize(std::max<size_t>(line.size() + 1, 28), ' ');
    line += run.status;
    if (run.ended_at > 0) line += "  " + FormatDuration(run.started_at, run.ended_at);
    if (!run.cache_hit_source.empty()) {
      line += (run.metadata.contains("reused_from") ? "  (reused from " : "  (cache hit from ") + run.cache_hit_source + ")";
    }
    if (run.metadata.contains("model_version")) {
      const Json& mv = run.metadata["model_version"];
      line += "  registered " + mv.value("group", "") + "/" + std::to_string(mv.value("version", 0));
    }
    if (run.metadata.contains("outcome")) line += run.metadata["outcome"].get<bool>() ? "  -> if" : "  -> else";
    if (!run.failure_reason.empty()) line += "\n      " + run.failure_reason;
    std::cout << line << std::endl;
  }

 private:
  bool enabled_;
  std::mutex mu_;
  std::map<std::string, std::string> last_status_;  // Guarded by mu_.
};

void PrintResult(const GlobalOptions& global, const RunOptions& opts, app::Executions& executions,
                 const store::ExecutionRecord& result) {
  if (global.json) {
    Json out = app::ToJson(result);
    auto runs = executions.Steps(result.id);
    out["steps"] = runs.ok() ? app::ToJsonArray(*runs) : Json::array();
    PrintJson(std::cout, out);
  } else if (!opts.quiet) {
    std::cout << "execution " << result.id << " " << result.status << " in "
              << FormatDuration(result.started_at, result.ended_at) << std::endl;
    if (!result.failure_reason.empty()) std::cout << "  reason: " << result.failure_reason << std::endl;
  } else if (result.status != store::kSucceeded) {
    // Quiet, but a failed execution is an error worth a line on stderr.
    std::cerr << "error: execution " << result.id << " " << result.status
              << (result.failure_reason.empty() ? "" : ": " + result.failure_reason) << std::endl;
  }
}

// Through a server (GROVE_URL): stores the definition there, starts it and
// follows it (unless --no-wait); a timeout leaves it running on the server.
int RunOnServer(const GlobalOptions& global, const RunOptions& opts,
                const std::map<std::string, std::string>& assignments, std::chrono::milliseconds timeout) {
  if (opts.max_parallel != 0 || opts.launcher.kind != app::LauncherOptions().kind) {
    return ReportError(Status::InvalidArgument(
        "--max-parallel and --executor apply on a data folder; through a server (GROVE_URL) its own settings run the "
        "steps"));
  }
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  auto created = (*client)->CreatePipeline(opts.file);
  if (!created.ok()) return ReportError(created.status());
  auto started = (*client)->StartExecution((*created)["pipeline"], assignments);
  if (!started.ok()) return ReportError(started.status());
  const std::string id = (*started)["id"];
  if (!opts.wait) {
    if (global.json) PrintJson(std::cout, *started);
    else std::cout << id << std::endl;
    return kExitOk;
  }
  if (!opts.quiet && !global.json) {
    std::cout << "execution " << id << "  pipeline " << (*started)["pipeline"].get<std::string>() << " v"
              << (*started)["version"].dump() << " on " << ServerUrl(global) << std::endl;
  }
  return WaitAndReport(global, **client, id, timeout, /*runs_here=*/false);
}

int RunPipeline(const GlobalOptions& global, const RunOptions& opts) {
  auto assignments = ParseAssignments(opts.parameters);
  if (!assignments.ok()) return ReportError(assignments.status());
  auto timeout = opts.timeout.empty() ? Result<std::chrono::milliseconds>(std::chrono::milliseconds(0))
                                      : ParseTimeout(opts.timeout);
  if (!timeout.ok()) return ReportError(timeout.status());
  if (!ServerUrl(global).empty()) return RunOnServer(global, opts, *assignments, *timeout);
  if (!opts.wait) {
    return ReportError(Status::InvalidArgument(
        "--no-wait needs a server (GROVE_URL): on a data folder the execution runs in this command's process"));
  }
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto made = (*home)->NewExecutor(opts.max_parallel, opts.launcher);
  if (!made.ok()) return ReportError(made.status());
  std::unique_ptr<pipeline::Executor>& executor = *made;
  ProgressPrinter progress(!opts.quiet && !global.json);
  executor->SetObserver([&progress](const store::StepRunRecord& run) { progress.OnStep(run); });
  app::Executions executions(**home, executor.get());
  // A SageMaker definition's scripts may call S3 themselves: serve it on loopback while the run lasts.
  std::unique_ptr<LocalS3> s3;
  if (auto text = ReadFile(opts.file); text.ok() && pipeline::IsSageMakerDefinition(*text)) {
    auto started_s3 = LocalS3::Start(**home, "us-east-1");
    if (!started_s3.ok()) return ReportError(started_s3.status());
    s3 = std::move(*started_s3);
  }
  auto started = executions.Start(opts.file, *assignments);
  if (!started.ok()) return ReportError(started.status());
  if (!opts.quiet && !global.json) {
    std::cout << "execution " << started->id << "  pipeline " << started->pipeline << " v" << started->version
              << std::endl;
  }
  auto ended = WaitHere(executions, started->id, *timeout);
  if (!ended.ok()) return ReportError(ended.status());
  PrintResult(global, opts, executions, ended->record);
  return ended->exit_code;
}

}  // namespace

void AddRunCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a pipeline definition (YAML or JSON) and wait for it to end (through GROVE_URL: on the server)");
  cmd->add_option("file", opts->file, "Pipeline definition file")->required();
  cmd->add_option("-p,--parameter", opts->parameters, "Parameter value as Name=Value (repeatable)");
  cmd->add_option("--max-parallel", opts->max_parallel, "Steps running at once (default: number of cores; with --executor slurm, 256 jobs)");
  AddExecutorFlags(cmd, &opts->launcher);
  cmd->add_flag("-q,--quiet", opts->quiet, "Print only errors");
  cmd->add_flag("--wait,!--no-wait", opts->wait,
                "Wait for the end (default); --no-wait prints the execution id and returns (through a server only)");
  cmd->add_option("--timeout", opts->timeout,
                  "Give up waiting after this long, e.g. 30m: exit 5 (on a data folder the execution is stopped; "
                  "on a server it goes on)");
  cmd->callback([&global, opts, action] { *action = [&global, opts] { return RunPipeline(global, *opts); }; });
}

}  // namespace grove::cli
