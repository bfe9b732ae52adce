#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace grove::pipeline {

// Runs a user command to its end: stdout and stderr go line by line to `log`;
// when `stop` becomes true the command's process group gets SIGTERM, then
// SIGKILL after `kill_grace_ms`. A non-zero exit is an error quoting the last
// lines of its output.
struct ScriptRequest {
  std::vector<std::string> argv;
  // How errors name the command (default: argv[0]), e.g. the script a sandbox runs.
  std::string name;
  std::map<std::string, std::string> env;  // Added to the inherited environment.
  std::function<void(const std::string&)> log;
  const std::atomic<bool>* stop = nullptr;
  int kill_grace_ms = 5000;
};

Status RunScript(const ScriptRequest& request);

}  // namespace grove::pipeline
