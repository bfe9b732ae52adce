#include "pipeline/step_command.h"

#include "common/file_util.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

fs::path StepResultPath(const fs::path& work_dir, const StepTask& task) {
  return work_dir / task.execution_id / task.step->name / ("result-" + std::to_string(task.attempt) + ".json");
}

std::vector<std::string> StepRunArgv(const StepCommand& command, const StepTask& task, const fs::path& result_path) {
  std::vector<std::string> args = {command.binary.string()};
  args.insert(args.end(), command.global_args.begin(), command.global_args.end());
  args.insert(args.end(), {"step-run", task.execution_id, task.step->name, "--attempt", std::to_string(task.attempt),
                           "--threads", std::to_string(task.threads), "--task-id", std::to_string(task.id),
                           "--result", result_path.string()});
  if (task.use_cache) args.push_back("--use-cache");
  return args;
}

Result<AttemptResult> ReadStepResult(const fs::path& path, uint64_t task_id) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound("no step result at " + path.string());
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Json json = Json::parse(text, nullptr, false);
  if (!json.is_object()) return Status::InvalidArgument("the step result " + path.string() + " is not a JSON object");
  ASSIGN_OR_RETURN(AttemptResult result, AttemptResult::FromJson(json));
  result.task_id = task_id;
  return result;
}

}  // namespace grove::pipeline
