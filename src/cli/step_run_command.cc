// `grove step-run <execution> <step>`: one attempt of one step, in a process
// of its own. SubprocessLauncher and SlurmLauncher (as a job) run it; the process
// that owns the execution records the result this prints.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <atomic>
#include <iostream>

#include "app/home.h"
#include "app/pipelines.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/file_util.h"
#include "pipeline/expansion.h"
#include "pipeline/step_attempt.h"
#include "pipeline/step_inputs.h"

namespace grove::cli {

namespace {

struct StepRunOptions {
  std::string execution;
  std::string step;
  int attempt = 1;
  int threads = 1;
  uint64_t task_id = 0;
  bool use_cache = false;
  std::string result;  // Empty: print the result on stdout.
};

std::atomic<bool>* g_stop = nullptr;

extern "C" void OnTerminate(int) {
  if (g_stop != nullptr) g_stop->store(true);
}

Result<pipeline::AttemptResult> RunOneStep(app::Home& home, const StepRunOptions& opts,
                                           const std::shared_ptr<std::atomic<bool>>& stop) {
  ASSIGN_OR_RETURN(store::ExecutionRecord execution, home.metadata()->GetExecution(opts.execution));
  ASSIGN_OR_RETURN(store::DefinitionRecord stored,
                   home.metadata()->GetDefinition(execution.pipeline, execution.version));
  const auto& types = pipeline::StepTypeRegistry::BuiltIn();
  ASSIGN_OR_RETURN(pipeline::Definition def, app::Pipelines::Parse(stored));
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, home.metadata()->ListStepRuns(execution.id));
  RETURN_IF_ERROR(pipeline::AddRecordedExpansions(def, runs, types));
  const pipeline::StepDef* step = def.FindStep(opts.step);
  if (step == nullptr) {
    return Status::NotFound("pipeline " + def.name + " v" + std::to_string(execution.version) + " has no step '" +
                            opts.step + "'");
  }
  pipeline::StepOutputs outputs;
  for (const store::StepRunRecord& run : runs) {
    if (run.status != "Succeeded") continue;
    for (const auto& [name, digest] : run.outputs.items()) outputs[run.step_name][name] = digest.get<std::string>();
  }
  pipeline::StepTask task;
  task.id = opts.task_id;
  task.execution_id = execution.id;
  task.pipeline = execution.pipeline;
  task.version = execution.version;
  task.step = step;
  task.type = types.Find(step->type);
  ASSIGN_OR_RETURN(task.arguments,
                   pipeline::ResolveStepArguments(def, *step, execution, outputs, types, *home.artifacts()));
  task.attempt = opts.attempt;
  task.threads = std::max(1, opts.threads);
  task.use_cache = opts.use_cache;
  task.stop = stop;
  pipeline::AttemptServices services{home.metadata(), home.artifacts(), home.clock(), home.root() / "work"};
  return pipeline::RunAttempt(services, task);
}

int StepRun(const GlobalOptions& global, const StepRunOptions& opts) {
  auto stop = std::make_shared<std::atomic<bool>>(false);
  g_stop = stop.get();
  ::signal(SIGTERM, OnTerminate);
  ::signal(SIGINT, OnTerminate);
  auto home = app::Home::OpenFlag(global.home, global.stores);  // Always the data folder, whatever GROVE_URL says.
  if (!home.ok()) return ReportError(home.status());
  auto result = RunOneStep(**home, opts, stop);
  if (!result.ok()) return ReportError(result.status());
  std::string text = result->ToJson().dump();
  if (opts.result.empty()) {
    std::cout << text << std::endl;
    return kExitOk;
  }
  Status written = WriteFileAtomic(opts.result, text);
  return written.ok() ? kExitOk : ReportError(written);
}

}  // namespace

void AddStepRunCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto opts = std::make_shared<StepRunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "step-run", "Run one attempt of one step of an execution and print its result as JSON (used by launchers)");
  cmd->group("Internal");
  cmd->add_option("execution", opts->execution, "Execution id")->required();
  cmd->add_option("step", opts->step, "Step name")->required();
  cmd->add_option("--attempt", opts->attempt, "Attempt number (default 1)")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", opts->threads, "Threads the step may use (default 1)")->check(CLI::PositiveNumber);
  cmd->add_option("--task-id", opts->task_id, "The launcher's task id, echoed in the result");
  cmd->add_option("--result", opts->result, "Write the result to this file instead of stdout");
  cmd->add_flag("--use-cache", opts->use_cache, "Reuse a cached result when there is one");
  cmd->callback([&global, opts, action] { *action = [&global, opts] { return StepRun(global, *opts); }; });
}

}  // namespace grove::cli
