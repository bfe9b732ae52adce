#pragma once

#include <string>

#include "cli/commands.h"

namespace grove::cli {

// `grove execution trials <id> [--step NAME]`: every tuning trial of the
// execution's steps (or of one step), best marked; a step served from the
// cache shows the trials of the execution that ran it. Returns the exit code.
int ExecutionTrials(const GlobalOptions& global, const std::string& execution_id, const std::string& step);

}  // namespace grove::cli
