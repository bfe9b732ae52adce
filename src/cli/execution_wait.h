#pragma once

// Waiting for an execution's end with a time limit, and the exit code that
// says how it ended (output.h's kExit* table), for `grove run`, `grove
// execution start|wait|retry|rerun`: what CI scripts branch on.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/executions.h"
#include "cli/client.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::cli {

// A wait's limit: "90s", "30m", "2h", "1h30m", "500ms", or ISO-8601 ("PT30M").
// InvalidArgument naming `flag` for anything else, or a limit of 0.
Result<std::chrono::milliseconds> ParseTimeout(const std::string& text, std::string_view flag = "--timeout");
// "1h30m", "90s": the limit as given back in messages.
std::string FormatTimeout(std::chrono::milliseconds timeout);

// The exit code of an ended execution from its view and its steps' views
// (record_json.h): kExitOk when it Succeeded, kExitStopped when Stopped,
// kExitConditionNotMet when it ended Failed at a Fail step (its reason is
// the Fail step's message), else kExitFailed.
int ExecutionExitCode(const Json& execution, const Json& steps);

// Whether an execution's view says it has not ended (Executing or Stopping).
bool IsRunning(const Json& execution);

// Follows execution `id` through `client` (Watch, then WaitForChange) until
// it ends; with a `timeout` (0: none), gives up then. Its final view, or
// nullopt when the time ran out (the execution goes on).
Result<std::optional<Json>> FollowExecution(Client& client, const std::string& id, std::chrono::milliseconds timeout);

// Prints an execution's view as `grove execution show` does.
void PrintExecution(const Json& execution);

// Waits for an execution through `client` (FollowExecution), prints its view
// (JSON with --json) and returns ExecutionExitCode; on a timeout says on
// stderr that it keeps running, or with `runs_here` (the local client runs
// it: its end stops it) that it is stopped, and returns kExitTimedOut.
int WaitAndReport(const GlobalOptions& global, Client& client, const std::string& id,
                  std::chrono::milliseconds timeout, bool runs_here);

// Calls `expire` once, when `timeout` has passed (0: never), unless destroyed
// first: a time limit for a call that blocks, e.g. stopping an execution this
// process runs while Executions::Wait waits for it.
class Deadline {
 public:
  Deadline(std::chrono::milliseconds timeout, std::function<void()> expire);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;     // Guarded by mu_: destroyed, stop watching.
  bool expired_ = false;  // Guarded by mu_.
  std::thread thread_;
};

// How an execution this process ran ended (WaitHere).
struct EndedHere {
  store::ExecutionRecord record;
  int exit_code = 0;  // ExecutionExitCode, or kExitTimedOut.
};

// Waits for execution `id`, which `executions`' executor runs in this
// process. At the `timeout` (0: none) it is stopped, a line on stderr says so,
// and the exit code is kExitTimedOut.
Result<EndedHere> WaitHere(app::Executions& executions, const std::string& id, std::chrono::milliseconds timeout);

}  // namespace grove::cli
