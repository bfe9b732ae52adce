#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/step_attempt.h"

namespace grove::pipeline {

// How launchers that run an attempt outside the owner's process (a child
// process, a Slurm job) start it: `<binary> [global args] step-run
// <execution> <step> --attempt N --threads T --task-id ID --result FILE
// [--use-cache]`. The attempt writes its AttemptResult as JSON to FILE.
struct StepCommand {
  std::filesystem::path binary;          // The grove executable.
  std::vector<std::string> global_args;  // E.g. {"--home", "/data/.grove"}.
};

// Where the attempt writes its result: <work_dir>/<execution>/<step>/result-<attempt>.json.
std::filesystem::path StepResultPath(const std::filesystem::path& work_dir, const StepTask& task);

// The command line of `task`'s attempt, writing its result to `result_path`.
std::vector<std::string> StepRunArgv(const StepCommand& command, const StepTask& task,
                                     const std::filesystem::path& result_path);

// The result an attempt wrote at `path`, with `task_id` set; NotFound when
// there is none, InvalidArgument when it does not parse.
Result<AttemptResult> ReadStepResult(const std::filesystem::path& path, uint64_t task_id);

}  // namespace grove::pipeline
