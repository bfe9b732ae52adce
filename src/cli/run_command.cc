#include <CLI/CLI.hpp>

#include <iostream>
#include <mutex>

#include "app/executions.h"
#include "app/record_json.h"
#include "common/file_util.h"
#include "pipeline/sagemaker_json_reader.h"
#include "cli/commands.h"
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
    if (!run.cache_hit_source.empty()) line += "  (cache hit from " + run.cache_hit_source + ")";
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

int RunPipeline(const GlobalOptions& global, const RunOptions& opts) {
  auto assignments = ParseAssignments(opts.parameters);
  if (!assignments.ok()) return ReportError(assignments.status());
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
  auto result = executions.Wait(started->id);
  if (!result.ok()) return ReportError(result.status());
  PrintResult(global, opts, executions, *result);
  return result->status == store::kSucceeded ? kExitOk : kExitFailed;
}

}  // namespace

void AddRunCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a pipeline definition (YAML or JSON) and wait for it to end");
  cmd->add_option("file", opts->file, "Pipeline definition file")->required();
  cmd->add_option("-p,--parameter", opts->parameters, "Parameter value as Name=Value (repeatable)");
  cmd->add_option("--max-parallel", opts->max_parallel, "Steps running at once (default: number of cores; with --executor slurm, 256 jobs)");
  AddExecutorFlags(cmd, &opts->launcher);
  cmd->add_flag("-q,--quiet", opts->quiet, "Print only errors");
  cmd->callback([&global, opts, action] { *action = [&global, opts] { return RunPipeline(global, *opts); }; });
}

}  // namespace grove::cli
