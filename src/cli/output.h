#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::cli {

// Exit codes (the table is in docs/cli.md): 0 success, 1 a failed execution,
// 2 bad input (a wrong flag, file, definition, parameter or name), 3 an
// internal or I/O error, 4 a stopped execution, 5 the wait timed out, 6 the
// execution ended Failed at a Fail step (a condition not met, e.g. a model not
// good enough: not an error). ExecutionExitCode (execution_wait.h) picks 0, 1, 4 or 6.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;
constexpr int kExitStopped = 4;
constexpr int kExitTimedOut = 5;
constexpr int kExitConditionNotMet = 6;

// Prints "error: <message>" to stderr and returns the exit code for `status`.
int ReportError(const Status& status);

// Left-aligned columns separated by two spaces.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

// "12 ms", "1.23 s", "2 min 3 s"; "-" when either end is unset.
std::string FormatDuration(TimeMs start, TimeMs end);
// "2026-11-22 10:03:04" (UTC) or "-".
std::string FormatTime(TimeMs t);
// The same two from the JSON views: an ISO-8601 time or null; a duration_ms or null.
std::string FormatTime(const Json& iso);
std::string FormatDuration(const Json& ms);

void PrintJson(std::ostream& out, const Json& value);

}  // namespace grove::cli
